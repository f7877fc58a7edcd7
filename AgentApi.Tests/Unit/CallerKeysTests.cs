using AgentApi.Core.Callers;
using AgentApi.Core.Configuration;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class CallerKeysTests
{
    [Test]
    public void FromList_TwoKeys_NamesEachByAShortHashAndKeepsNoKey()
    {
        var keys = CallerKeys.FromList($" {Callers.KeyA} ,{Callers.KeyB},", "AGENTAPI_API_KEYS");

        Assert.Multiple(() =>
        {
            Assert.That(keys.Select(k => k.Name), Is.EqualTo(new[] { Callers.NameOf(Callers.KeyA), Callers.NameOf(Callers.KeyB) }));
            Assert.That(keys.Select(k => k.Sha256.Length), Is.All.EqualTo(32));
        });
    }

    [TestCase("short-key")]
    [TestCase("a key with spaces inside it")]
    public void FromList_UnusableKey_ThrowsNamingTheVariableNotTheValue(string key)
    {
        var exception = Assert.Throws<InvalidSettingException>(() => CallerKeys.FromList(key, "AGENTAPI_API_KEYS"));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Setting, Is.EqualTo("AGENTAPI_API_KEYS"));
            Assert.That(exception.Message, Does.Not.Contain(key));
        });
    }

    [Test]
    public void FromFileLines_CommentsBlanksAndRotatedKeys_ReadsNamedCallers()
    {
        var keys = CallerKeys.FromFileLines(["# billing rotates", "", Callers.FileLine("billing", Callers.KeyA), Callers.FileLine("billing", Callers.KeyB), "  " + Callers.FileLine("reports", "another-key-0123456789") + "  "], "AGENTAPI_API_KEYS_FILE");

        Assert.Multiple(() =>
        {
            Assert.That(string.Join(',', keys.Select(k => k.Name)), Is.EqualTo("billing,billing,reports"));
            Assert.That(CallerKeys.Match(keys, Callers.KeyB), Is.EqualTo("billing"), "either of a caller's keys works while it rotates");
        });
    }

    [TestCase("billing")]
    [TestCase("billing:abc")]
    [TestCase("bad name:0000000000000000000000000000000000000000000000000000000000000000")]
    [TestCase(":0000000000000000000000000000000000000000000000000000000000000000")]
    public void FromFileLines_MalformedLine_ThrowsNamingTheLine(string line)
    {
        var exception = Assert.Throws<InvalidSettingException>(() => CallerKeys.FromFileLines(["# first", line], "AGENTAPI_API_KEYS_FILE"));

        Assert.That(exception!.Message, Does.StartWith("AGENTAPI_API_KEYS_FILE line 2 "));
    }

    [Test]
    public void Match_ConfiguredWrongEmptyAndOversizedKeys_FindsOnlyTheConfiguredOne()
    {
        var keys = CallerKeys.FromList(Callers.KeyA, "AGENTAPI_API_KEYS");

        Assert.Multiple(() =>
        {
            Assert.That(CallerKeys.Match(keys, Callers.KeyA), Is.EqualTo(Callers.NameOf(Callers.KeyA)));
            Assert.That(CallerKeys.Match(keys, Callers.KeyA + "x"), Is.Null);
            Assert.That(CallerKeys.Match(keys, Callers.KeyA.ToUpperInvariant()), Is.Null);
            Assert.That(CallerKeys.Match(keys, string.Empty), Is.Null);
            Assert.That(CallerKeys.Match(keys, new string('k', CallerKeys.MaxKeyLength + 1)), Is.Null);
        });
    }

    [Test]
    public void FileLine_OfAKey_IsTheLineThatMatchesIt()
    {
        var keys = CallerKeys.FromFileLines([CallerKeys.FileLine("ops", Callers.KeyB)], "AGENTAPI_API_KEYS_FILE");

        Assert.That(CallerKeys.Match(keys, Callers.KeyB), Is.EqualTo("ops"));
    }
}
