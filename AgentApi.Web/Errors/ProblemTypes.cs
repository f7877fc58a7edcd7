using Microsoft.AspNetCore.Mvc;

namespace AgentApi.Web.Errors;

/// <summary>The <c>type</c> URIs of AgentApi's problem details, one per kind of failure (listed in README).</summary>
internal static class ProblemTypes
{
    private const string Prefix = "urn:agentapi:problem:";

    /// <summary>What the framework puts in <c>type</c> by default: a link to the status code's RFC section.</summary>
    private const string FrameworkDefaultPrefix = "https://tools.ietf.org/";

    public const string Validation = Prefix + "validation";
    public const string BadRequest = Prefix + "bad-request";
    public const string RequestTooLarge = Prefix + "request-too-large";
    public const string NotFound = Prefix + "not-found";
    public const string MethodNotAllowed = Prefix + "method-not-allowed";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
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
    public const string Unauthorized = Prefix + "unauthorized";
    public const string RateLimited = Prefix + "rate-limited";
    public const string ConcurrencyLimited = Prefix + "concurrency-limited";
    public const string TokenBudgetExhausted = Prefix + "token-budget-exhausted";

    /// <summary>
    /// Gives the errors the framework answers itself (unknown path, wrong method, wrong content type) this
    /// service's type instead of the framework's default; a type set on purpose is kept.
    /// </summary>
    public static void ReplaceFrameworkDefault(ProblemDetails problem)
    {
        if (problem.Type is not null && !problem.Type.StartsWith(FrameworkDefaultPrefix, StringComparison.Ordinal))
        {
            return;
        }

        problem.Type = problem.Status switch
        {
            StatusCodes.Status404NotFound => NotFound,
            StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
            StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
            _ => problem.Type,
        };
    }
}
