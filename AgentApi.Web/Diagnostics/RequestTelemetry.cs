namespace AgentApi.Web.Diagnostics;

/// <summary>
/// What the outermost middleware keeps of a request: its ID and when it started. The ask pipeline writes an ask's own
/// summary line and marks the request, so the middleware writes its generic line only for everything else.
/// </summary>
internal sealed class RequestTelemetry(HttpContext context, string requestId, long started)
{
    public HttpContext Context { get; } = context;

    public string RequestId { get; } = requestId;

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of the request's start.</summary>
    public long Started { get; } = started;

    /// <summary>True once the ask pipeline has written this request's summary line.</summary>
    public bool Logged { get; private set; }

    public void MarkLogged() => Logged = true;
}
