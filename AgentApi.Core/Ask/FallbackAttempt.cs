using System.ComponentModel;

namespace AgentApi.Core.Ask;

/// <summary>A model that was tried before the one that answered, and why it was passed over.</summary>
/// <param name="Provider">The provider's name (<c>openai</c>, or one of the routes file's table).</param>
/// <param name="Model">The model id asked.</param>
/// <param name="Reason">The failure, as the metrics name it: <c>upstream_error</c>, <c>timeout</c>, <c>rate_limited</c>, <c>quota_exhausted</c>, <c>circuit_open</c>, <c>rejected</c>, <c>unavailable</c>, <c>not_configured</c> or <c>invalid_response</c>.</param>
/// <param name="Attempts">HTTP attempts made to it, retries included; 0 when none was made (an open circuit, a missing key).</param>
/// <param name="Status">The HTTP status it answered with, when it answered.</param>
[ImmutableObject(true)]
public sealed record FallbackAttempt(string Provider, string Model, string Reason, int Attempts, int? Status);
