using System.Globalization;
using AgentApi.Core.Callers;

namespace AgentApi.Web.Callers;

/// <summary><c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c> (seconds), as in the IETF RateLimit header fields draft.</summary>
internal static class RateLimitHeaders
{
    public static void Write(IHeaderDictionary headers, long limit, long remaining, long resetSeconds)
    {
        headers["RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Reset"] = resetSeconds.ToString(CultureInfo.InvariantCulture);
    }

    public static void Write(IHeaderDictionary headers, RequestWindow window) =>
        Write(headers, window.Limit, window.Remaining, (long)Math.Ceiling(window.ResetAfter.TotalSeconds));
}
