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
}
