using AgentApi.Core.Callers;

namespace AgentApi.Web.Callers;

/// <summary>Admission of a request's caller under the limits, shared by the limits filter of <c>/api/ask</c> and <c>/v1</c>.</summary>
internal static class CallerAdmission
{
    /// <summary>
    /// Admits the caller with <paramref name="estimatedTokens"/> reserved and writes the per-minute headers; when a limit
    /// refuses, answers 429 (with <c>Retry-After</c>) and returns null.
    /// </summary>
    public static async Task<Admission?> AdmitAsync(HttpContext http, ICallerLimiter limiter, long estimatedTokens)
    {
        var caller = http.Features.Get<CallerFeature>()?.Caller ?? Caller.Anonymous(http.Connection.RemoteIpAddress?.ToString());
        var admission = await limiter.AdmitAsync(caller, estimatedTokens, http.RequestAborted);
        if (admission.Refusal is { } refusal)
        {
            await admission.DisposeAsync();
            await CallerProblems.WriteTooManyRequestsAsync(http, refusal);
            return null;
        }

        if (admission.Window is { } window)
        {
            RateLimitHeaders.Write(http.Response.Headers, window);
        }

        return admission;
    }
}
