using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace AgentApi.Infrastructure.Providers.Resilience;

/// <summary>
/// Which provider answers are worth retrying, and how long the provider asked us to wait.
/// Follows the providers' documented behaviour (see shared/reference): a 429 for an exhausted
/// quota, a per-day limit or a request larger than the limit can never succeed by waiting.
/// </summary>
internal static partial class ProviderFaults
{
    /// <summary>Anthropic's "overloaded" status: transient, like a 503.</summary>
    public const HttpStatusCode Overloaded = (HttpStatusCode)529;

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or Overloaded;

    /// <summary>
    /// The account is out of credit (Anthropic): a 402 <c>billing_error</c>, or the 400 <c>invalid_request_error</c> the API
    /// answers when the credit balance is too low. Waiting cannot fix it.
    /// </summary>
    public static bool IsBillingFailure(HttpStatusCode status, string? body) =>
        status == HttpStatusCode.PaymentRequired
        || (status == HttpStatusCode.BadRequest && body is not null && body.Contains("credit balance is too low", StringComparison.OrdinalIgnoreCase));

    /// <summary>True when the response is a transient failure that a retry may fix.</summary>
    public static bool ShouldRetry(HttpResponseMessage response, string? body)
    {
        if (response.Headers.TryGetValues("x-should-retry", out var values))
        {
            // OpenAI's server-side override wins over the status code.
            return string.Equals(values.FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase);
        }

        return IsTransient(response.StatusCode) && !(response.StatusCode == HttpStatusCode.TooManyRequests && IsPermanentLimit(body));
    }

    /// <summary>A 429 that waiting cannot fix: no credit, a daily quota, or one request larger than the limit.</summary>
    public static bool IsPermanentLimit(string? body) =>
        body is not null
        && (body.Contains("insufficient_quota", StringComparison.Ordinal)
            || body.Contains("PerDay", StringComparison.Ordinal)
            || body.Contains("Request too large", StringComparison.Ordinal));

    /// <summary>
    /// The wait the provider asked for: <c>retry-after-ms</c>, <c>Retry-After</c> (seconds or HTTP date),
    /// Gemini's <c>RetryInfo.retryDelay</c>, or the "Please retry in 25.4s" / "try again in 644ms" hint in the message.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, string? body, DateTimeOffset now)
    {
        if (headers.TryGetValues("retry-after-ms", out var msValues)
            && double.TryParse(msValues.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
        {
            return Milliseconds(ms);
        }

        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < Longest ? delta : Longest;
            }

            if (retryAfter.Date is { } date)
            {
                return date <= now ? TimeSpan.Zero : date - now < Longest ? date - now : Longest;
            }
        }

        if (body is null)
        {
            return null;
        }

        var match = RetryDelayField().Match(body);
        if (!match.Success)
        {
            match = RetryHint().Match(body);
        }

        if (match.Success && double.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            return Milliseconds(match.Groups["unit"].Value == "ms" ? amount : amount * 1000);
        }

        return null;
    }

    /// <summary>A provider hint longer than this is treated as this; it only has to be longer than any request's budget.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    // A hostile or broken hint ("1e300", "99999999999999999999s") must not overflow TimeSpan.
    private static TimeSpan? Milliseconds(double value) =>
        double.IsFinite(value) && value >= 0 ? TimeSpan.FromMilliseconds(Math.Min(value, Longest.TotalMilliseconds)) : null;

    [GeneratedRegex("\"retryDelay\"\\s*:\\s*\"(?<value>[0-9]+(?:\\.[0-9]+)?)(?<unit>s)\"")]
    private static partial Regex RetryDelayField();

    [GeneratedRegex(@"(?:retry|try again) in (?<value>[0-9]+(?:\.[0-9]+)?)(?<unit>ms|s)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RetryHint();
}
