using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// The secrets no log line may carry, and the one function that removes them: every rendered log line
/// (message, properties, exception, whatever the layout holds) goes through <see cref="Redact"/>.
/// </summary>
/// <remarks>
/// A secret is found case-insensitively and with any of its characters written as a JSON escape
/// (<c>\u002d</c>, also double-escaped as <c>\\u002d</c> inside the JSON file), as <c>\/</c>, or percent-encoded
/// (<c>%2D</c>): a provider echoing a key in lower case or JSON-escaped must not get it into a file.
/// Process-wide because NLog's configuration is; register more secrets (callers' keys) with <see cref="Register"/>.
/// </remarks>
internal sealed class LogSecrets
{
    public const string Mask = "***";

    /// <summary>Shorter values are not redacted: masking every "ab" would destroy the log and protect nothing.</summary>
    public const int MinLength = 4;

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly HashSet<string> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private Regex? _pattern;

    // The secrets as written, when every one is ASCII: then a line that is ASCII and holds no escape ('\' or '%')
    // can only carry one written plainly, so a case-insensitive search for each decides whether the pattern runs.
    private string[]? _asciiSecrets;

    public static LogSecrets Process { get; } = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _secrets.Count;
            }
        }
    }

    public void Register(string? secret)
    {
        if (secret is null || secret.Trim().Length < MinLength)
        {
            return;
        }

        lock (_gate)
        {
            if (_secrets.Add(secret.Trim()))
            {
                // Longest first, so a secret that contains another is masked whole.
                var alternatives = _secrets.OrderByDescending(s => s.Length).Select(Pattern);
                _pattern = new Regex(string.Join('|', alternatives), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);
                Volatile.Write(ref _asciiSecrets, _secrets.All(secret => Ascii.IsValid(secret)) ? [.. _secrets] : null);
            }
        }
    }

    public string Redact(string text)
    {
        var pattern = Volatile.Read(ref _pattern);
        if (pattern is null || text.Length < MinLength || CarriesNoSecret(text))
        {
            return text;
        }

        try
        {
            return pattern.Replace(text, Mask);
        }
        catch (RegexMatchTimeoutException)
        {
            return "[log line withheld: secret redaction timed out]";
        }
    }

    /// <summary>
    /// The fast answer for most lines (every line is redacted for every target, so the pattern's cost is paid several
    /// times per ask): an ASCII line without escapes, none of whose secrets appear in it ignoring case, carries none.
    /// On ASCII text, the pattern's case-insensitive match of an ASCII character is exactly an ordinal one ignoring case.
    /// </summary>
    private bool CarriesNoSecret(string text)
    {
        var plain = Volatile.Read(ref _asciiSecrets);
        if (plain is null || text.AsSpan().IndexOfAny('\\', '%') >= 0 || !Ascii.IsValid(text))
        {
            return false;
        }

        foreach (var secret in plain)
        {
            if (text.Contains(secret, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static string Pattern(string secret)
    {
        var pattern = new StringBuilder("(?:");
        foreach (var c in secret)
        {
            pattern.Append("(?:").Append(Regex.Escape(c.ToString()));
            pattern.Append(CultureInfo.InvariantCulture, $@"|\\+u{(int)c:x4}");
            if (c < 0x80)
            {
                pattern.Append(CultureInfo.InvariantCulture, $"|%{(int)c:x2}");
            }

            if (c == '/')
            {
                pattern.Append(@"|\\+/");
            }

            pattern.Append(')');
        }

        return pattern.Append(')').ToString();
    }
}
