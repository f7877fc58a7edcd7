using AgentApi.Infrastructure.Providers;
using AgentApi.Web.Diagnostics;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class LogSafetyTests
{
    [TestCase("key sk-Live-Abc123 here", "key *** here")]
    [TestCase("key SK-LIVE-ABC123 here", "key *** here")]
    [TestCase(@"key sk\u002dLive\u002DAbc123 here", "key *** here")]
    [TestCase(@"{""m"":""key sk\\u002dLive-Abc123""}", @"{""m"":""key ***""}")]
    [TestCase("key sk%2DLive%2dAbc123 here", "key *** here")]
    [TestCase("other Other-Secret-42 too", "other *** too")]
    [TestCase("nothing to hide", "nothing to hide")]
    public void Redact_SecretInAnyCaseOrEscapedForm_IsMasked(string text, string expected)
    {
        var secrets = new LogSecrets();
        secrets.Register("sk-Live-Abc123");
        secrets.Register("Other-Secret-42");

        Assert.That(secrets.Redact(text), Is.EqualTo(expected));
    }

    // Most lines are ASCII without escapes, and skip the pattern when no secret appears in them ignoring case; lines
    // built from pieces of the secrets, in random case, with and without escapes and non-ASCII text, must come out
    // exactly as the pattern alone makes them.
    [Test]
    public void Redact_ManyLinesMadeOfSecretPieces_MatchesThePatternAlone()
    {
        var secrets = new LogSecrets();
        secrets.Register("sk-Live-Abc123");
        secrets.Register("Other-Secret-42");
        var pattern = new System.Text.RegularExpressions.Regex(
            @"(?:s|\\+u0073|%73)(?:k|\\+u006b|%6b)(?:-|\\+u002d|%2d)(?:L|\\+u004c|%4c)(?:i|\\+u0069|%69)(?:v|\\+u0076|%76)(?:e|\\+u0065|%65)(?:-|\\+u002d|%2d)(?:A|\\+u0041|%41)(?:b|\\+u0062|%62)(?:c|\\+u0063|%63)(?:1|\\+u0031|%31)(?:2|\\+u0032|%32)(?:3|\\+u0033|%33)"
            + @"|(?:O|\\+u004f|%4f)(?:t|\\+u0074|%74)(?:h|\\+u0068|%68)(?:e|\\+u0065|%65)(?:r|\\+u0072|%72)(?:-|\\+u002d|%2d)(?:S|\\+u0053|%53)(?:e|\\+u0065|%65)(?:c|\\+u0063|%63)(?:r|\\+u0072|%72)(?:e|\\+u0065|%65)(?:t|\\+u0074|%74)(?:-|\\+u002d|%2d)(?:4|\\+u0034|%34)(?:2|\\+u0032|%32)",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        string[] pieces = ["sk-Live-Abc123", "SK-LIVE-ABC123", "sk-live-abc12", "Other-Secret-42", "other-secret-4", "sk", "-", "Live", "Abc", "123",
            " ", "route general", "%2D", @"\u002d", "\\", "ü", "🙂", "\u212a", "Sk-Live-Abc123"];
        var random = new Random(16);
        var sawFast = 0;
        for (var i = 0; i < 3000; i++)
        {
            var line = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            var expected = line.Length < LogSecrets.MinLength ? line : pattern.Replace(line, LogSecrets.Mask);
            sawFast += expected == line && System.Text.Ascii.IsValid(line) && line.IndexOfAny(['\\', '%']) < 0 ? 1 : 0;
            Assert.That(secrets.Redact(line), Is.EqualTo(expected), line);
        }

        Assert.That(sawFast, Is.GreaterThan(100), "many lines took the fast answer");
    }

    [Test]
    public void Redact_SecretWithTheKelvinSignForK_IsMaskedAsThePatternDoes()
    {
        var secrets = new LogSecrets();
        secrets.Register("sk-Live-Abc123");

        Assert.That(secrets.Redact("key s\u212a-Live-Abc123 here"), Is.EqualTo("key *** here"), "case-insensitive beyond ASCII, as before");
    }

    [Test]
    public void Register_ShortOrEmptyValue_IsNotASecret()
    {
        var secrets = new LogSecrets();
        secrets.Register("ab");
        secrets.Register("   ");
        secrets.Register(null);

        Assert.Multiple(() =>
        {
            Assert.That(secrets.Count, Is.Zero);
            Assert.That(secrets.Redact("abc ab"), Is.EqualTo("abc ab"));
        });
    }

    [TestCase("a\r\nb", @"a\r\nb")]
    [TestCase("tab\there", @"tab\there")]
    [TestCase("\u001b[31mred", @"\u001b[31mred")]
    [TestCase("csi \u009b31m", @"csi \u009b31m")]
    [TestCase("rtl \u202eexe.txt", @"rtl \u202eexe.txt")]
    [TestCase("line\u2028sep", @"line\u2028sep")]
    [TestCase("plain, ünïcode and emoji 🙂", "plain, ünïcode and emoji 🙂")]
    public void Escape_ControlAndBidiCharacters_BecomeVisibleEscapes(string line, string expected)
    {
        Assert.That(LogLineEscaping.Escape(line), Is.EqualTo(expected));
    }

    [Test]
    public void ProviderErrorBodyDescribe_KeyAcrossTheLengthLimit_IsNotCutInHalf()
    {
        var key = "sk-proj-" + new string('Q', 60);
        var body = string.Join(' ', Enumerable.Repeat("word", 96)) + " " + key + " tail";

        var described = ProviderErrorBody.Describe(body, secret: null)!;

        Assert.Multiple(() =>
        {
            Assert.That(described, Does.EndWith("…"));
            Assert.That(described, Does.Not.Contain("sk-proj"), "no part of the token the limit falls in");
            Assert.That(described.Length, Is.LessThanOrEqualTo(501));
        });
    }

    // The console and the text file share one wrapper: each event's line is rendered and redacted once, on the
    // logging thread, with that thread's scope (the request ID), and both targets write that same line.
    [Test]
    public async Task SharedSafeLayout_TwoTargetsOneEvent_RendersOnceWithTheLoggingThreadsScope()
    {
        var renders = 0;
        var inner = NLog.Layouts.Layout.FromMethod(
            e => $"{Interlocked.Increment(ref renders)} [{(NLog.ScopeContext.TryGetProperty("RequestId", out var id) ? id : "-")}] {e.FormattedMessage} sk-Live-Abc123",
            NLog.Layouts.LayoutRenderOptions.None);
        var secrets = new LogSecrets();
        secrets.Register("sk-Live-Abc123");
        var safe = new SafeLogLayout(inner, secrets);
        var logEvent = NLog.LogEventInfo.Create(NLog.LogLevel.Info, "test", "line\nbreak");

        using (NLog.ScopeContext.PushProperty("RequestId", "req-1"))
        {
            safe.Precalculate(logEvent);
            safe.Precalculate(logEvent);
        }

        var written = await Task.Run(() => (safe.Render(logEvent), safe.Render(logEvent)));

        Assert.Multiple(() =>
        {
            Assert.That(written.Item1, Is.EqualTo(@"1 [req-1] line\nbreak ***"));
            Assert.That(written.Item2, Is.EqualTo(written.Item1));
            Assert.That(renders, Is.EqualTo(1));
        });
    }
}
