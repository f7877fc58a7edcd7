using System.Text.Json;

namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>Sampling and output settings. Only what is set is sent; Gemma models get no JSON mode (they reject it).</summary>
internal sealed record GenerationConfig(int? MaxOutputTokens = null, double? Temperature = null)
{
    public double? TopP { get; init; }

    public IReadOnlyList<string>? StopSequences { get; init; }

    /// <summary>An int32 on this API.</summary>
    public int? Seed { get; init; }

    public double? PresencePenalty { get; init; }

    public double? FrequencyPenalty { get; init; }

    /// <summary><c>application/json</c> for JSON mode and for a schema.</summary>
    public string? ResponseMimeType { get; init; }

    /// <summary>The answer's JSON Schema as the caller wrote it (<c>responseSchema</c> would take only an OpenAPI subset).</summary>
    public JsonElement? ResponseJsonSchema { get; init; }
}
