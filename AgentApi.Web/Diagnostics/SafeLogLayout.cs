using System.Text;
using NLog;
using NLog.Layouts;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// Wraps a target's layout: the whole rendered line, whatever the layout puts in it, is redacted
/// (<see cref="LogSecrets"/>) and then escaped to one line (<see cref="LogLineEscaping"/>).
/// The inner layout reads the request's scope, so NLog renders the whole safe line once, on the thread that logs
/// the event, and keeps it on the event: targets that share one instance (<see cref="LogSafety"/>) share that line.
/// </summary>
internal sealed class SafeLogLayout(Layout inner, LogSecrets secrets) : Layout
{
    public Layout Inner { get; } = inner;

    protected override string GetFormattedMessage(LogEventInfo logEvent) =>
        LogLineEscaping.Escape(secrets.Redact(Inner.Render(logEvent)));

    protected override void RenderFormattedMessage(LogEventInfo logEvent, StringBuilder target) =>
        target.Append(GetFormattedMessage(logEvent));
}
