using System.Net;
using AgentApi.Infrastructure.Providers.Resilience;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// A provider's error response, read once by <see cref="ProviderAttemptHandler"/>: what the retry
/// policy and the error translation both need, so neither parses the body or headers again.
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The start of the error body (bounded), for logs and for recognising the kind of error.</param>
/// <param name="RetryAfter">The wait the provider asked for, in any of the forms providers use.</param>
/// <param name="IsPermanentLimit">A 429 that waiting cannot fix (no credit, a daily quota, a request over the limit).</param>
/// <param name="ShouldRetry">Worth another attempt.</param>
internal sealed record ProviderFault(HttpStatusCode Status, string Body, TimeSpan? RetryAfter, bool IsPermanentLimit, bool ShouldRetry)
{
    public static ProviderFault Read(HttpResponseMessage response, string body, DateTimeOffset now)
    {
        var permanent = response.StatusCode == HttpStatusCode.TooManyRequests && ProviderFaults.IsPermanentLimit(body);
        return new ProviderFault(
            response.StatusCode,
            body,
            ProviderFaults.RetryAfter(response.Headers, body, now),
            permanent,
            ProviderFaults.ShouldRetry(response, body));
    }
}
