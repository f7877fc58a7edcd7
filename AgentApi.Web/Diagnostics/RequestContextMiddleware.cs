using System.Collections.Concurrent;
using System.Diagnostics;
using AgentApi.Core.Callers;
using AgentApi.Core.Diagnostics;
using AgentApi.Web.Callers;
using AgentApi.Web.WarmUp;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// Outermost middleware: gives the request its ID (echoed in <c>X-Request-ID</c>, used as the trace
/// identifier that problem details carry), opens the logging scope that puts the ID on every log
/// line written during the request, adds <c>Server-Timing</c>, and when the request ends records
/// its duration metric and logs one summary line.
/// </summary>
internal sealed class RequestContextMiddleware(RequestDelegate next, RequestMetrics metrics, WarmUpState warmUpState, ILogger<RequestContextMiddleware> logger)
{
    private const string UnmatchedRoute = "unmatched";

    // Route templates as metric labels, all with a leading slash (controllers' templates have none); one entry per endpoint.
    private static readonly ConcurrentDictionary<string, string> RouteLabels = new(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = RequestId.FromHeaderOrNew(context.Request.Headers[RequestId.HeaderName]);
        context.TraceIdentifier = requestId;
        var telemetry = new RequestTelemetry(context, requestId, Stopwatch.GetTimestamp());
        context.Features.Set(telemetry);

        // Set when the response starts: the exception handler clears headers set earlier.
        context.Response.OnStarting(static state => WriteHeaders((RequestTelemetry)state), telemetry);

        // Routing ran before this middleware; the exception handler clears the endpoint, so read it now.
        var route = RouteLabel(context.GetEndpoint());
        // The instance's own warm-up asks are ordinary asks of the warm-up caller (labelled in metrics and logs); the
        // mark tells the providers' handlers to answer with canned replies (docs/decisions/0011).
        if (warmUpState.IsWarmUpRequest(context))
        {
            WarmUpScope.Enter();
            context.Features.Set(new CallerFeature(Caller.WarmUp, CacheScope: null));
        }

        using var scope = logger.BeginScope(new RequestScope(requestId));
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(telemetry.Started);
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? StatusCodes.Status499ClientClosedRequest : context.Response.StatusCode;
            metrics.Record(route, status, elapsed, context.Features.Get<CallerFeature>()?.Caller.Origin);
            if (!telemetry.Logged)
            {
                LogSummary(context.Request, route, status, elapsed.TotalMilliseconds, telemetry);
            }
        }
    }

    private static Task WriteHeaders(RequestTelemetry telemetry)
    {
        var headers = telemetry.Context.Response.Headers;
        headers[RequestId.HeaderName] = telemetry.RequestId;

        // An ask sets its own (its steps' durations) before it answers; every other response gets the total.
        if (!headers.ContainsKey(ServerTiming.HeaderName))
        {
            headers[ServerTiming.HeaderName] = ServerTiming.Total(Stopwatch.GetElapsedTime(telemetry.Started));
        }

        return Task.CompletedTask;
    }

    /// <summary>The line of a request that was not an ask (an ask's comes from the ask pipeline, with its model calls).</summary>
    private void LogSummary(HttpRequest request, string route, int status, double durationMs, RequestTelemetry telemetry)
    {
        if (IsProbe(route))
        {
            Log.ProbeCompleted(logger, LogText.Cut(request.Method), LogText.Cut(request.Path.ToString()), status, durationMs);
        }
        else
        {
            Log.RequestCompleted(logger, LogText.Cut(request.Method), LogText.Cut(request.Path.ToString()), status, durationMs, CallerName(telemetry.Context));
        }
    }

    /// <summary>Health probes and metric scrapes come every few seconds; their lines would drown the rest at Information.</summary>
    private static bool IsProbe(string route) =>
        route.StartsWith("/healthz", StringComparison.Ordinal) || route == ObservabilityExtensions.MetricsPath;

    /// <summary>The authenticated caller's name (never the key), <c>none</c> when the request had no valid key.</summary>
    private static string CallerName(HttpContext context) => context.Features.Get<CallerFeature>()?.Caller.Name ?? "none";

    private static string RouteLabel(Endpoint? endpoint)
    {
        if (endpoint is not RouteEndpoint { RoutePattern.RawText: { } template })
        {
            return UnmatchedRoute;
        }

        return template.StartsWith('/') ? template : RouteLabels.GetOrAdd(template, static t => "/" + t);
    }
}
