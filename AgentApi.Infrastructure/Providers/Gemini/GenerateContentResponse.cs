namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>The answer. <see cref="Candidates"/> is absent when the prompt was blocked (status is still 200).</summary>
internal sealed record GenerateContentResponse(
    IReadOnlyList<GeminiCandidate>? Candidates,
    GeminiPromptFeedback? PromptFeedback,
    GeminiUsageMetadata? UsageMetadata,
    string? ModelVersion,
    string? ResponseId);
