using System.Globalization;
using System.Security;
using System.Text;
using SpanKind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind;
using StatusCode = OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode;

namespace AgentApi.Tests.Support.Otlp;

/// <summary>
/// Draws a received trace as a tracing tool's waterfall, in SVG: one row per span, depth first from
/// <c>root</c>, the name indented by depth, a bar from its start to its end on the root's time axis, its
/// duration, a red bar for an error, and a tick per span event (a retry). The picture in docs/tracing.md.
/// </summary>
public static class TraceWaterfall
{
    private const int Width = 960;
    private const int LabelWidth = 300;
    private const int BarsWidth = 560;
    private const int RowHeight = 26;
    private const int Top = 44;

    /// <summary>The rows' labels as drawn, depth first: what a test compares with the committed picture.</summary>
    public static IReadOnlyList<string> Labels(IReadOnlyList<ReceivedSpan> trace, ReceivedSpan root) =>
        [.. Rows(trace, root, 0).Select(row => Label(row.Span))];

    public static string Svg(IReadOnlyList<ReceivedSpan> trace, ReceivedSpan root, string title)
    {
        var rows = Rows(trace, root, 0).ToList();
        var total = Math.Max((root.End - root.Start).TotalMilliseconds, 1);
        var height = Top + (rows.Count * RowHeight) + 40;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{height}\" fill=\"#ffffff\"/>\n"));
        svg.Append(Invariant($"<text x=\"12\" y=\"22\" font-size=\"14\" font-weight=\"bold\" fill=\"#1f2328\">{Escape(title)}</text>\n"));
        svg.Append(Invariant($"<text x=\"{LabelWidth}\" y=\"{Top - 8}\" fill=\"#57606a\">0 ms</text>\n"));
        svg.Append(Invariant($"<text x=\"{LabelWidth + BarsWidth}\" y=\"{Top - 8}\" fill=\"#57606a\" text-anchor=\"end\">{total:0} ms</text>\n"));
        for (var i = 0; i < rows.Count; i++)
        {
            var (span, depth) = rows[i];
            var y = Top + (i * RowHeight);
            var x = LabelWidth + ((span.Start - root.Start).TotalMilliseconds / total * BarsWidth);
            var duration = (span.End - span.Start).TotalMilliseconds;
            var width = Math.Max(duration / total * BarsWidth, 2);
            var fill = span.Status == StatusCode.Error ? "#cf222e" : Colour(span);
            if (i % 2 == 0)
            {
                svg.Append(Invariant($"<rect x=\"0\" y=\"{y}\" width=\"{Width}\" height=\"{RowHeight}\" fill=\"#f6f8fa\"/>\n"));
            }

            svg.Append(Invariant($"<text class=\"name\" x=\"{12 + (depth * 16)}\" y=\"{y + 17}\" fill=\"#1f2328\">{Escape(Label(span))}</text>\n"));
            svg.Append(Invariant($"<rect x=\"{x:0.#}\" y=\"{y + 6}\" width=\"{width:0.#}\" height=\"{RowHeight - 12}\" rx=\"2\" fill=\"{fill}\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Math.Min(x + width + 6, Width - 70):0.#}\" y=\"{y + 17}\" fill=\"#57606a\">{duration:0.0} ms</text>\n"));
            foreach (var spanEvent in span.Events)
            {
                var ex = LabelWidth + ((spanEvent.Time - root.Start).TotalMilliseconds / total * BarsWidth);
                svg.Append(Invariant($"<path d=\"M {ex:0.#} {y + 3} l 5 5 l -5 5 l -5 -5 z\" fill=\"#bf8700\"><title>{Escape(spanEvent.Name)}</title></path>\n"));
            }
        }

        var legendY = Top + (rows.Count * RowHeight) + 24;
        var legend = new[] { ("#0969da", "server"), ("#8250df", "step"), ("#1a7f37", "model call"), ("#6e7781", "HTTP attempt"), ("#cf222e", "error"), ("#bf8700", "retry event") };
        for (var i = 0; i < legend.Length; i++)
        {
            var (colour, name) = legend[i];
            svg.Append(Invariant($"<rect x=\"{12 + (i * 140)}\" y=\"{legendY - 10}\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{30 + (i * 140)}\" y=\"{legendY}\" fill=\"#57606a\">{name}</text>\n"));
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static IEnumerable<(ReceivedSpan Span, int Depth)> Rows(IReadOnlyList<ReceivedSpan> trace, ReceivedSpan span, int depth) =>
        trace.Where(child => child.ParentSpanId == span.SpanId)
            .OrderBy(child => child.Start)
            .SelectMany(child => Rows(trace, child, depth + 1))
            .Prepend((span, depth));

    /// <summary>A span's name; an HTTP attempt's with its status, as a tracing tool's list shows it.</summary>
    private static string Label(ReceivedSpan span) =>
        span["http.response.status_code"] is long status && span.Kind == SpanKind.Client
            ? Invariant($"{span.Name} {status}")
            : span.Name;

    private static string Colour(ReceivedSpan span) => span.Kind switch
    {
        SpanKind.Server => "#0969da",
        SpanKind.Internal => "#8250df",
        SpanKind.Client when span["gen_ai.operation.name"] is not null => "#1a7f37",
        _ => "#6e7781",
    };

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
