namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary><c>stream_options</c>: with <c>include_usage</c> the stream ends with a chunk whose <c>choices</c> is empty and whose <c>usage</c> is set.</summary>
internal sealed record ChatStreamOptions(bool IncludeUsage);
