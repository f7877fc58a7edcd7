using System.Globalization;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// Bounds what a caller controls (a query, a field name, a <c>user</c>, a path, a header) before it reaches a log line
/// at Information or above, or an error message: 200 characters and the original length, so no request can write more
/// than a few KB of log however large its strings.
/// </summary>
internal static class LogText
{
    public const int MaxChars = 200;

    public static string Cut(string? text) => text is null || text.Length <= MaxChars
        ? text ?? string.Empty
        : string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, char.IsHighSurrogate(text[MaxChars - 1]) ? MaxChars - 1 : MaxChars)}…({text.Length} chars)");
}
