using System.Globalization;
using AgentApi.Core.Callers;
using AgentApi.Web.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace AgentApi.Web.Callers;

/// <summary>The 401 every key failure gets, and the 429 of each limit, as problem details.</summary>
internal static class CallerProblems
{
    public const string UnauthorizedDetail = "Send a valid API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.";

    public static Task WriteUnauthorizedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return WriteAsync(context, new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Type = ProblemTypes.Unauthorized,
            Title = "API key required",
            Detail = UnauthorizedDetail,
        });
    }

    public static Task WriteTooManyRequestsAsync(HttpContext context, LimitRefusal refusal)
    {
        var seconds = (long)Math.Ceiling(Math.Max(1, refusal.RetryAfter.TotalSeconds));
        var headers = context.Response.Headers;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        RateLimitHeaders.Write(headers, refusal.Value, 0, seconds);

        var (type, title, detail) = refusal.Limit switch
        {
            CallerLimit.RequestsPerMinute => (ProblemTypes.RateLimited, "Too many requests",
                $"This caller may send {refusal.Value} asks per minute. Retry after {seconds} s."),
            CallerLimit.Concurrency => (ProblemTypes.ConcurrencyLimited, "Too many asks in flight",
                $"This caller may have {refusal.Value} asks in flight at once. Retry when one has finished."),
            _ => (ProblemTypes.TokenBudgetExhausted, "Daily token budget spent",
                $"This caller's budget of {refusal.Value} tokens per UTC day is spent. Retry after {seconds} s, at midnight UTC."),
        };
        var problem = new ProblemDetails { Status = StatusCodes.Status429TooManyRequests, Type = type, Title = title, Detail = detail };
        problem.Extensions["limit"] = CallerMetrics.Label(refusal.Limit);
        problem.Extensions["retryAfterSeconds"] = seconds;
        return WriteAsync(context, problem);
    }

    private static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
