using AgentApi.Core.Ask;

namespace AgentApi.Web.Ask;

/// <summary>A model tried before the one that answered.</summary>
/// <param name="Provider">The provider's name.</param>
/// <param name="Model">The model id asked.</param>
/// <param name="Reason">Why it did not answer: <c>upstream_error</c>, <c>unavailable</c>, <c>timeout</c>, <c>rate_limited</c>, <c>quota_exhausted</c>, <c>circuit_open</c>, <c>rejected</c>, <c>not_configured</c> or <c>invalid_response</c>.</param>
/// <param name="Attempts">HTTP attempts made to it; 0 when none was made (an open circuit, a missing key).</param>
/// <param name="Status">The HTTP status it answered with, when it answered.</param>
public sealed record FallbackResponse(string Provider, string Model, string Reason, int Attempts, int? Status)
{
    internal static FallbackResponse From(FallbackAttempt passed) => new(passed.Provider, passed.Model, passed.Reason, passed.Attempts, passed.Status);
}
