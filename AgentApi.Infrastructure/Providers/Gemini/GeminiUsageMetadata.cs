namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>
/// Token counts; any may be absent (e.g. no candidates tokens when nothing was generated). Thoughts are billed as
/// output, server-side tool results as input.
/// </summary>
internal sealed record GeminiUsageMetadata(int? PromptTokenCount, int? CandidatesTokenCount, int? TotalTokenCount, int? ThoughtsTokenCount, int? ToolUsePromptTokenCount = null);
