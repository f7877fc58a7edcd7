namespace AgentApi.Core.Providers;

/// <summary>
/// The caller's sampling settings beyond temperature, passed to the executor as given; null fields leave the
/// provider's default. Part of a conversation's cache key: they change the answer.
/// </summary>
/// <param name="TopP">Nucleus sampling (<c>top_p</c>), 0 to 1.</param>
/// <param name="Stop">Up to 4 sequences that end the answer; null or empty for none.</param>
/// <param name="Seed">A seed for best-effort reproducible answers.</param>
/// <param name="PresencePenalty">-2 to 2.</param>
/// <param name="FrequencyPenalty">-2 to 2.</param>
public sealed record Sampling(double? TopP = null, IReadOnlyList<string>? Stop = null, long? Seed = null, double? PresencePenalty = null, double? FrequencyPenalty = null)
{
    public static readonly Sampling None = new();

    /// <summary>True when nothing is set: the provider's defaults.</summary>
    public bool IsDefault => TopP is null && Stop is not { Count: > 0 } && Seed is null && PresencePenalty is null && FrequencyPenalty is null;
}
