namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>Token counts; any may be absent (e.g. no candidates tokens when nothing was generated).</summary>
internal sealed record GeminiUsageMetadata(int? PromptTokenCount, int? CandidatesTokenCount, int? TotalTokenCount, int? ThoughtsTokenCount);
