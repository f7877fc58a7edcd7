using System.Text.Json;

namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>
/// The answer, or one chunk of a streamed answer. <see cref="Candidates"/> is absent when the prompt was blocked
/// (status is still 200). <see cref="Error"/> is set when the API fails in the middle of a stream.
/// </summary>
internal sealed record GenerateContentResponse(
    IReadOnlyList<GeminiCandidate>? Candidates,
    GeminiPromptFeedback? PromptFeedback,
    GeminiUsageMetadata? UsageMetadata,
    string? ModelVersion,
    string? ResponseId,
    JsonElement? Error = null);
