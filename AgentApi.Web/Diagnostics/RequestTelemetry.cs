using AgentApi.Core.Ask;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// What the outermost middleware reports about a request: its ID, when it started, and the ask's
/// result when it produced one. Lives in the request's features, so the ask controller can hand
/// the result back without the middleware knowing about controllers.
/// </summary>
internal sealed class RequestTelemetry(HttpContext context, string requestId, long started)
{
    public HttpContext Context { get; } = context;

    public string RequestId { get; } = requestId;

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of the request's start.</summary>
    public long Started { get; } = started;

    /// <summary>The answer this request got, when it reached the ask service and succeeded.</summary>
    public AskResult? Ask { get; set; }
}
