using System.Text;
using NLog;
using NLog.Layouts;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// Wraps a target's layout: the whole rendered line, whatever the layout puts in it, is redacted
/// (<see cref="LogSecrets"/>) and then escaped to one line (<see cref="LogLineEscaping"/>).
/// </summary>
internal sealed class SafeLogLayout(Layout inner, LogSecrets secrets) : Layout
{
    public Layout Inner { get; } = inner;

    public override void Precalculate(LogEventInfo logEvent) => Inner.Precalculate(logEvent);

    protected override string GetFormattedMessage(LogEventInfo logEvent) =>
        LogLineEscaping.Escape(secrets.Redact(Inner.Render(logEvent)));

    protected override void RenderFormattedMessage(LogEventInfo logEvent, StringBuilder target) =>
        target.Append(GetFormattedMessage(logEvent));
}
