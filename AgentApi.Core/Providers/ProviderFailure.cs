namespace AgentApi.Core.Providers;

/// <summary>What kind of provider failure happened; decides what the caller is told.</summary>
public enum ProviderFailure
{
    /// <summary>The provider's API key (or other setting) is missing.</summary>
    NotConfigured,

    /// <summary>The provider says it is overloaded or unavailable (503); worth retrying later.</summary>
    Unavailable,

    /// <summary>The provider kept failing (5xx, network errors) after retries.</summary>
    UpstreamError,

    /// <summary>The provider's rate limit was hit and the wait does not fit the request's budget.</summary>
    RateLimited,

    /// <summary>The account is out of quota or credit; retrying cannot help.</summary>
    QuotaExhausted,

    /// <summary>The circuit breaker is open after repeated failures.</summary>
    CircuitOpen,

    /// <summary>No answer came within the time allowed.</summary>
    Timeout,

    /// <summary>The provider rejected the gateway itself (401/403/404: its key, its access or the model): a configuration problem, not the caller's.</summary>
    Rejected,

    /// <summary>The provider found the request invalid (400): too long for the model, or a value it does not take. The caller's to change; never a reason to fall back.</summary>
    InvalidRequest,

    /// <summary>The provider answered with something that is not a usable answer (malformed, empty).</summary>
    InvalidResponse,

    /// <summary>The provider refused to answer for safety or policy reasons.</summary>
    ContentFiltered,
}
