using System.Globalization;
using AgentApi.Web.Errors;

using AgentApi.Web.Pipeline;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// Writes the problems of <c>/v1</c> requests in OpenAI's error shape, so the SDKs raise their typed errors; the
/// framework's writer keeps every other path on problem+json. Asked before it (registered first).
/// </summary>
/// <remarks>
/// The OpenAI SDKs retry 408, 409, 429 and 5xx answers two more times, waiting as <c>Retry-After</c> says (up to a
/// minute), unless the answer says <c>x-should-retry: false</c>. A provider failure has already been through the
/// gateway's own retries, breaker and deadline, so the SDK's tries would multiply provider calls (3 × 3) for nothing;
/// and a caller over its limit for longer than <see cref="LongestWorthWaiting"/> is better told at once than held in
/// a silent wait. Both say <c>x-should-retry: false</c>.
/// </remarks>
internal sealed class OpenAIErrorWriter : IProblemDetailsWriter
{
    public const string ShouldRetryHeader = "x-should-retry";

    /// <summary>The longest <c>Retry-After</c> an SDK may wait out on its own.</summary>
    public static readonly TimeSpan LongestWorthWaiting = TimeSpan.FromSeconds(5);

    public bool CanWrite(ProblemDetailsContext context) => OpenAIErrors.Applies(context.HttpContext.Request);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var error = OpenAIErrors.From(context.ProblemDetails, context.HttpContext);
        var response = context.HttpContext.Response;
        response.StatusCode = error.Status;
        if (AlreadyRetried(context.ProblemDetails.Type) || WaitTooLong(response))
        {
            response.Headers[ShouldRetryHeader] = "false";
        }

        return new ValueTask(response.WriteAsJsonAsync(OpenAIErrorResponse.From(error), JsonWire.OpenAI.OpenAIErrorResponse));
    }

    private static bool AlreadyRetried(string? problemType) =>
        problemType is not null && problemType.StartsWith(ProblemTypes.Prefix + "provider-", StringComparison.Ordinal);

    private static bool WaitTooLong(HttpResponse response) =>
        response.StatusCode == StatusCodes.Status429TooManyRequests
        && long.TryParse(response.Headers.RetryAfter.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && seconds > LongestWorthWaiting.TotalSeconds;
}
