using AgentApi.Core.Caching;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class AnswerCacheKeyTests
{
    private static string Key(string query, string? context = null, string orchestrator = "gemma-3-1b-it", string executor = "gpt-4o-mini", string version = "v1") =>
        AnswerCacheKey.Create(query, context, orchestrator, executor, version);

    [Test]
    public void Create_WhitespaceVariants_GiveTheSameKey()
    {
        Assert.That(Key("  What is\tthe   time?\n"), Is.EqualTo(Key("What is the time?")));
    }

    [TestCase("  What is DNS?\n", "What is DNS?")]
    [TestCase("What   is\t\tDNS?", "What is DNS?")]
    [TestCase("What\r\nis\u00A0DNS?", "What is DNS?")]
    [TestCase("\t \n", "")]
    public void Normalize_Whitespace_IsTrimmedAndCollapsed(string text, string expected)
    {
        Assert.That(AnswerCacheKey.Normalize(text), Is.EqualTo(expected));
    }

    [Test]
    public void Normalize_DecomposedAccentAndMixedCase_ComposesToNfcAndKeepsCase()
    {
        Assert.That(AnswerCacheKey.Normalize("Caf\u0065\u0301 NASA"), Is.EqualTo("Caf\u00E9 NASA"));
    }

    [Test]
    public void Create_WhitespaceVariantsInContext_GiveTheSameKey()
    {
        Assert.That(Key("q", "  in\n\n Paris "), Is.EqualTo(Key("q", "in Paris")));
    }

    [Test]
    public void Create_UnicodeCompositionVariants_GiveTheSameKey()
    {
        // "é" precomposed (U+00E9) and decomposed (e + U+0301) are the same text after NFC.
        Assert.That(Key("caf\u00e9"), Is.EqualTo(Key("cafe\u0301")));
    }

    [Test]
    public void Create_DifferentCase_GivesDifferentKeys()
    {
        Assert.That(Key("Apple"), Is.Not.EqualTo(Key("apple")));
    }

    [TestCase("q", "ctx", "gemma-3-1b-it", "gpt-4o-mini", "v2")]
    [TestCase("q", "ctx", "gemma-3-4b-it", "gpt-4o-mini", "v1")]
    [TestCase("q", "ctx", "gemma-3-1b-it", "gpt-4o", "v1")]
    [TestCase("q", "other", "gemma-3-1b-it", "gpt-4o-mini", "v1")]
    [TestCase("q", null, "gemma-3-1b-it", "gpt-4o-mini", "v1")]
    public void Create_AnyIngredientChanges_GivesADifferentKey(string query, string? context, string orchestrator, string executor, string version)
    {
        Assert.That(Key(query, context, orchestrator, executor, version), Is.Not.EqualTo(Key("q", "ctx")));
    }

    [Test]
    public void Create_FieldBoundariesShift_GivesDifferentKeys()
    {
        Assert.That(Key("ab", "c"), Is.Not.EqualTo(Key("a", "bc")));
    }

    [Test]
    public void Create_SeparatorCharactersInText_CannotForgeAFieldBoundary()
    {
        Assert.That(Key("a\u001fb", "c"), Is.Not.EqualTo(Key("a", "b\u001fc")));
    }

    [Test]
    public void Create_Always_HashesSoNoUserTextIsInTheKey()
    {
        var key = Key("my secret question");

        Assert.Multiple(() =>
        {
            Assert.That(key, Does.Match("^" + AnswerCacheKey.Prefix + "[0-9a-f]{64}$"));
            Assert.That(key, Does.Not.Contain("secret"));
        });
    }

    [Test]
    public void Create_WithCallerScope_DiffersPerCallerAndFromTheUnscopedKey()
    {
        var unscoped = Key("What is DNS?");
        var alice = AnswerCacheKey.Create("What is DNS?", null, "gemma-3-1b-it", "gpt-4o-mini", "v1", "key:alice");
        var bob = AnswerCacheKey.Create("What is DNS?", null, "gemma-3-1b-it", "gpt-4o-mini", "v1", "key:bob");

        Assert.Multiple(() =>
        {
            Assert.That(alice, Is.Not.EqualTo(bob));
            Assert.That(alice, Is.Not.EqualTo(unscoped));
            Assert.That(AnswerCacheKey.Create("What is DNS?", null, "gemma-3-1b-it", "gpt-4o-mini", "v1", scope: null), Is.EqualTo(unscoped));
            Assert.That(alice, Does.StartWith(AnswerCacheKey.Prefix).And.Not.Contain("alice"));
        });
    }
}
