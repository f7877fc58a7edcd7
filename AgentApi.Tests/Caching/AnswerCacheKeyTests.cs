using AgentApi.Core.Caching;

namespace AgentApi.Tests.Caching;

[TestFixture]
public sealed class AnswerCacheKeyTests
{
    private static string Key(string query, string? context = null, string orchestrator = "gemma-3-1b-it", string executor = "gpt-4o-mini", string template = "1") =>
        AnswerCacheKey.Create(query, context, orchestrator, executor, template);

    [TestCase("  What is DNS?\n", "What is DNS?")]
    [TestCase("What   is\t\tDNS?", "What is DNS?")]
    [TestCase("What\r\nis\u00A0DNS?", "What is DNS?")]
    [TestCase("\t \n", "")]
    public void Normalize_Whitespace_IsTrimmedAndCollapsed(string text, string expected) =>
        Assert.That(AnswerCacheKey.Normalize(text), Is.EqualTo(expected));

    [Test]
    public void Normalize_DecomposedAccent_ComposesToNfc() =>
        Assert.That(AnswerCacheKey.Normalize("Caf\u0065\u0301 au lait"), Is.EqualTo("Caf\u00E9 au lait"));

    [Test]
    public void Normalize_MixedCase_KeepsCase() =>
        Assert.That(AnswerCacheKey.Normalize("What is NASA?"), Is.EqualTo("What is NASA?"));

    [Test]
    public void Create_SpacingAndUnicodeFormDiffer_SameKey() =>
        Assert.That(Key("  Caf\u0065\u0301   prices?  ", " in   Paris "), Is.EqualTo(Key("Caf\u00E9 prices?", "in Paris")));

    [Test]
    public void Create_CaseDiffers_DifferentKey() =>
        Assert.That(Key("what is nasa?"), Is.Not.EqualTo(Key("What is NASA?")));

    [TestCase("context", null, "gemma-3-1b-it", "gpt-4o-mini", "1")]
    [TestCase(null, "other context", "gemma-3-1b-it", "gpt-4o-mini", "1")]
    [TestCase(null, null, "gemma3:1b", "gpt-4o-mini", "1")]
    [TestCase(null, null, "gemma-3-1b-it", "gpt-4o", "1")]
    [TestCase(null, null, "gemma-3-1b-it", "gpt-4o-mini", "2")]
    public void Create_AnyIngredientDiffers_DifferentKey(string? context, string? otherContext, string orchestrator, string executor, string template) =>
        Assert.That(Key("Why?", otherContext ?? context, orchestrator, executor, template), Is.Not.EqualTo(Key("Why?")));

    [Test]
    public void Create_TextMovesAcrossFieldBoundary_DifferentKey() =>
        Assert.That(Key("ab", "c"), Is.Not.EqualTo(Key("a", "bc")));

    [Test]
    public void Create_Always_PrefixedSha256HexWithoutUserText()
    {
        var key = Key("my secret question", "my secret context");

        Assert.Multiple(() =>
        {
            Assert.That(key, Does.Match("^" + AnswerCacheKey.Prefix + "[0-9a-f]{64}$"));
            Assert.That(key, Does.Not.Contain("secret"));
        });
    }
}
