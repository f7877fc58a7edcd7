using System.Collections.Frozen;

namespace AgentApi.Core.Providers;

/// <summary>The one table of provider failures: each <see cref="ProviderFailure"/> described once.</summary>
public static class ProviderFailures
{
    private static readonly FrozenDictionary<ProviderFailure, ProviderFailureInfo> Table = new Dictionary<ProviderFailure, ProviderFailureInfo>
    {
        [ProviderFailure.NotConfigured] = new(503, "provider-not-configured", "Provider not configured", "not_configured",
            "the orchestrator is not configured", Retryable: false),
        [ProviderFailure.Unavailable] = new(503, "provider-unavailable", "Provider unavailable", "unavailable",
            "the orchestrator was unavailable", Retryable: true),
        [ProviderFailure.UpstreamError] = new(502, "provider-error", "Provider error", "upstream_error",
            "the orchestrator was unavailable", Retryable: true),
        [ProviderFailure.RateLimited] = new(503, "provider-rate-limited", "Provider rate limit reached", "rate_limited",
            "the orchestrator's rate limit or quota was exhausted", Retryable: true),
        [ProviderFailure.QuotaExhausted] = new(503, "provider-quota-exhausted", "Provider quota exhausted", "quota_exhausted",
            "the orchestrator's rate limit or quota was exhausted", Retryable: false),
        [ProviderFailure.CircuitOpen] = new(503, "provider-circuit-open", "Provider paused after repeated failures", "circuit_open",
            "the orchestrator's circuit is open after repeated failures", Retryable: true),
        [ProviderFailure.Timeout] = new(504, "provider-timeout", "Provider timed out", "timeout",
            "the orchestrator did not answer in time", Retryable: true),
        [ProviderFailure.Rejected] = new(502, "provider-rejected", "Provider rejected the gateway's request", "rejected",
            "the orchestrator rejected the request", Retryable: false),
        [ProviderFailure.InvalidRequest] = new(400, "provider-invalid-request", "The model rejected the request", "invalid_request",
            "the orchestrator rejected the request", Retryable: false),
        [ProviderFailure.InvalidResponse] = new(502, "provider-invalid-response", "Unusable answer from the provider", "invalid_response",
            "the orchestrator's answer could not be read", Retryable: true),
        [ProviderFailure.ContentFiltered] = new(502, "content-filtered", "Answer withheld by the provider", "content_filtered",
            "the orchestrator declined the request", Retryable: false),
    }.ToFrozenDictionary();

    public static ProviderFailureInfo Of(ProviderFailure failure) => Table[failure];

    /// <summary>Every row, for documentation and tests.</summary>
    public static IEnumerable<KeyValuePair<ProviderFailure, ProviderFailureInfo>> All => Table;
}
