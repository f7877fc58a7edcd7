using System.Diagnostics;
using System.Text;
using NLog;
using NLog.LayoutRenderers;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// <c>${trace-context:item=TraceId}</c> (or <c>SpanId</c>) in <c>nlog.config</c>: the W3C trace ID of the activity current
/// where the line is logged, so a log line joins its trace and the caller's report. ASP.NET Core starts an activity for every
/// request while logging is on (continuing an incoming <c>traceparent</c>), traced or not, so the ID is there without a tracer.
/// Not thread-agnostic: NLog renders it on the logging thread, before the asynchronous targets take the line. What
/// NLog.DiagnosticSource's <c>${activity}</c> does, without that package (the registry does not serve it).
/// </summary>
[LayoutRenderer(Name)]
internal sealed class TraceContextLayoutRenderer : LayoutRenderer
{
    public const string Name = "trace-context";

    /// <summary><c>TraceId</c> (the default) or <c>SpanId</c>.</summary>
    public string Item { get; set; } = nameof(Activity.TraceId);

    protected override void Append(StringBuilder builder, LogEventInfo logEvent)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C } current)
        {
            return;
        }

        builder.Append(string.Equals(Item, nameof(Activity.SpanId), StringComparison.OrdinalIgnoreCase)
            ? current.SpanId.ToHexString()
            : current.TraceId.ToHexString());
    }
}
