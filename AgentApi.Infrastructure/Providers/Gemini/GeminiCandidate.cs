namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>One candidate answer; <see cref="Content"/> may be missing, e.g. on <c>SAFETY</c>.</summary>
internal sealed record GeminiCandidate(GeminiContent? Content, string? FinishReason, int? Index);
