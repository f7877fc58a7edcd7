using AgentApi.Core.Providers;

namespace AgentApi.Core.Diagnostics;

/// <summary>The <c>outcome</c> tag of a provider call: <c>success</c>, <c>cancelled</c> (the caller went away), the <see cref="ProviderFailure"/> in snake case, or <c>error</c> for anything unexpected.</summary>
public static class ProviderOutcome
{
    public const string Success = "success";
    public const string Cancelled = "cancelled";
    public const string Error = "error";

    public static string Of(ProviderFailure failure) => failure switch
    {
        ProviderFailure.NotConfigured => "not_configured",
        ProviderFailure.Unavailable => "unavailable",
        ProviderFailure.UpstreamError => "upstream_error",
        ProviderFailure.RateLimited => "rate_limited",
        ProviderFailure.QuotaExhausted => "quota_exhausted",
        ProviderFailure.CircuitOpen => "circuit_open",
        ProviderFailure.Timeout => "timeout",
        ProviderFailure.Rejected => "rejected",
        ProviderFailure.InvalidResponse => "invalid_response",
        ProviderFailure.ContentFiltered => "content_filtered",
        _ => Error,
    };
}
