using AgentApi.Core.Providers;
using Microsoft.AspNetCore.Mvc;

namespace AgentApi.Web.Errors;

/// <summary>The <c>type</c> URIs of AgentApi's problem details, one per kind of failure (listed in docs/api.md).</summary>
internal static class ProblemTypes
{
    public const string Prefix = "urn:agentapi:problem:";

    /// <summary>What the framework puts in <c>type</c> by default: a link to the status code's RFC section.</summary>
    private const string FrameworkDefaultPrefix = "https://tools.ietf.org/";

    public const string Validation = Prefix + "validation";
    public const string BadRequest = Prefix + "bad-request";
    public const string RequestTooLarge = Prefix + "request-too-large";
    public const string RequestTimeout = Prefix + "request-timeout";
    public const string NotFound = Prefix + "not-found";
    public const string MethodNotAllowed = Prefix + "method-not-allowed";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";

    /// <summary>Reserved for per-caller rate limits (429), which come with caller API keys; not sent yet.</summary>
    public const string CallerRateLimited = Prefix + "rate-limited";
    public const string Unexpected = Prefix + "unexpected";
    public const string Unauthorized = Prefix + "unauthorized";
    public const string RateLimited = Prefix + "rate-limited";
    public const string ConcurrencyLimited = Prefix + "concurrency-limited";
    public const string TokenBudgetExhausted = Prefix + "token-budget-exhausted";

    /// <summary>The type of a provider failure (<c>urn:agentapi:problem:provider-timeout</c>, …), from <see cref="ProviderFailures"/>.</summary>
    public static string Of(ProviderFailureInfo failure) => Prefix + failure.ProblemType;

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
