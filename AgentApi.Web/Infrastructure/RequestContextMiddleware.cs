using System.Diagnostics;

namespace AgentApi.Web.Infrastructure;

/// <summary>
/// Outermost middleware: gives the request its ID (echoed in <c>X-Request-ID</c>, used as the trace
/// identifier that problem details carry), opens the logging scope that puts the ID on every log
/// line written during the request, and logs one summary line when it ends.
/// </summary>
internal sealed class RequestContextMiddleware(RequestDelegate next, ILogger<RequestContextMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = RequestId.FromHeaderOrNew(context.Request.Headers[RequestId.HeaderName]);
        context.TraceIdentifier = requestId;
        // Set when the response starts: the exception handler clears headers set earlier.
        context.Response.OnStarting(static state =>
        {
            var (response, id) = ((HttpResponse, string))state;
            response.Headers[RequestId.HeaderName] = id;
            return Task.CompletedTask;
        }, (context.Response, requestId));

        using var scope = logger.BeginScope(new RequestScope(requestId));
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? StatusCodes.Status499ClientClosedRequest : context.Response.StatusCode;
            Log.RequestCompleted(logger, context.Request.Method, context.Request.Path, status, elapsed);
        }
    }
}
