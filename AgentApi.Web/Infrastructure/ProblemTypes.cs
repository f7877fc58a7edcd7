namespace AgentApi.Web.Infrastructure;

/// <summary>The <c>type</c> URIs of AgentApi's problem details, one per kind of failure (listed in README).</summary>
internal static class ProblemTypes
{
    private const string Prefix = "urn:agentapi:problem:";

    public const string Validation = Prefix + "validation";
    public const string BadRequest = Prefix + "bad-request";
    public const string RequestTooLarge = Prefix + "request-too-large";
    public const string NotFound = Prefix + "not-found";
    public const string NotConfigured = Prefix + "provider-not-configured";
    public const string ProviderUnavailable = Prefix + "provider-unavailable";
    public const string ProviderRateLimited = Prefix + "provider-rate-limited";
    public const string ProviderQuotaExhausted = Prefix + "provider-quota-exhausted";
    public const string CircuitOpen = Prefix + "provider-circuit-open";
    public const string ProviderTimeout = Prefix + "provider-timeout";
    public const string ProviderError = Prefix + "provider-error";
    public const string ProviderRejected = Prefix + "provider-rejected";
    public const string ProviderInvalidResponse = Prefix + "provider-invalid-response";
    public const string ContentFiltered = Prefix + "content-filtered";
    public const string Unexpected = Prefix + "unexpected";
}
