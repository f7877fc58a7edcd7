using System.Globalization;
using System.Text;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// One log event, one line: CR, LF, tab and every other control character (ANSI ESC, C1 codes such as
/// CSI), Unicode line separators and bidi overrides become visible escapes (<c>\n</c>, <c>\u001b</c>, <c>\u202e</c>).
/// Text that user input reaches (a query at Debug, a provider's error body) can then neither start a forged
/// line nor drive a terminal. The escapes are also valid inside JSON strings, so the JSON file stays JSON.
/// </summary>
internal static class LogLineEscaping
{
    public static string Escape(string line)
    {
        var first = line.AsSpan().IndexOfAnyExcept(SafeSearch.Values);
        if (first < 0)
        {
            return line;
        }

        var escaped = new StringBuilder(line.Length + 16);
        escaped.Append(line, 0, first);
        for (var i = first; i < line.Length; i++)
        {
            var c = line[i];
            _ = c switch
            {
                '\r' => escaped.Append(@"\r"),
                '\n' => escaped.Append(@"\n"),
                '\t' => escaped.Append(@"\t"),
                _ when NeedsEscape(c) => escaped.Append(CultureInfo.InvariantCulture, $@"\u{(int)c:x4}"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    internal static bool NeedsEscape(char c) =>
        char.IsControl(c)
        || c is '\u2028' or '\u2029' // line and paragraph separators
        || c is '\u061c' or '\u200e' or '\u200f' // bidi marks
        || c is >= '\u202a' and <= '\u202e' // bidi embeddings and overrides
        || c is >= '\u2066' and <= '\u2069'; // bidi isolates

    /// <summary>Printable ASCII: the common case, searched vectorised; anything else is looked at one by one.</summary>
    private static class SafeSearch
    {
        public static readonly System.Buffers.SearchValues<char> Values =
            System.Buffers.SearchValues.Create(string.Concat(Enumerable.Range(0x20, 0x7f - 0x20).Select(i => (char)i)));
    }
}
