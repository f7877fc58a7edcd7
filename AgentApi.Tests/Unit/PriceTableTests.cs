using AgentApi.Core.Configuration;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class PriceTableTests
{
    [Test]
    public void Parse_EntriesWithEitherSeparator_ReadsEachPrice()
    {
        var entries = PriceTable.Parse(" gpt-4.1-mini=0.40/1.60 ; my-model = 1e-1 / 2 , gemma=0/0 ", "PRICE_TABLE");

        Assert.That(entries, Is.EqualTo(new[]
        {
            new KeyValuePair<string, ModelPrice>("gpt-4.1-mini", new(0.40, 1.60)),
            new KeyValuePair<string, ModelPrice>("my-model", new(0.1, 2)),
            new KeyValuePair<string, ModelPrice>("gemma", new(0, 0)),
        }));
    }

    [TestCase("gpt-4o-mini")]
    [TestCase("gpt-4o-mini=0.15")]
    [TestCase("=0.15/0.60")]
    [TestCase("gpt-4o-mini=cheap/0.60")]
    [TestCase("gpt-4o-mini=-1/0.60")]
    [TestCase("gpt-4o-mini=0.15/NaN")]
    public void Parse_MalformedEntry_ThrowsNamingTheVariable(string text)
    {
        var exception = Assert.Throws<InvalidSettingException>(() => PriceTable.Parse(text, "PRICE_TABLE"));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Setting, Is.EqualTo("PRICE_TABLE"));
            Assert.That(exception.Message, Does.Contain("model=input/output"));
        });
    }

    [TestCase("gpt-4o-mini", 0.15, 0.60)]
    [TestCase("GPT-4o-mini-2024-07-18", 0.15, 0.60)]
    [TestCase("gemma-3-1b-it", 0.0, 0.0)]
    [TestCase("gemma3:1b", 0.0, 0.0)]
    [TestCase("claude-haiku-4-5-20251001", 1.0, 5.0)]
    public void Find_DefaultTable_PricesByLongestPrefix(string model, double input, double output)
    {
        Assert.That(new PricingOptions().Find(model), Is.EqualTo(new ModelPrice(input, output)));
    }

    [Test]
    public void Find_LongerKeyAdded_WinsOverShorterPrefix()
    {
        var options = new PricingOptions();
        options.Prices["gpt-4o-mini-2024"] = new(1, 2);

        Assert.Multiple(() =>
        {
            Assert.That(options.Find("gpt-4o-mini-2024-07-18"), Is.EqualTo(new ModelPrice(1, 2)));
            Assert.That(options.Find("gpt-4o-mini"), Is.EqualTo(new ModelPrice(0.15, 0.60)));
        });
    }

    [Test]
    public void Find_TableEntries_AddToAndReplaceTheDefaults()
    {
        var options = new PricingOptions { Table = "gpt-4o-mini=1/2;llama3=0.5/0.5" };

        Assert.Multiple(() =>
        {
            Assert.That(options.Find("gpt-4o-mini-2024-07-18"), Is.EqualTo(new ModelPrice(1, 2)));
            Assert.That(options.Find("llama3:8b"), Is.EqualTo(new ModelPrice(0.5, 0.5)));
            Assert.That(options.Find("gemma3:1b"), Is.EqualTo(new ModelPrice(0, 0)));
        });
    }

    [Test]
    public void Find_UnknownModel_ReturnsNull()
    {
        Assert.That(new PricingOptions().Find("llama3"), Is.Null);
    }

    [Test]
    public void CostOf_MillionTokensEachWay_IsTheSumOfBothPrices()
    {
        Assert.That(new ModelPrice(0.15, 0.60).CostOf(new TokenUsage(1_000_000, 1_000_000)), Is.EqualTo(0.75).Within(1e-12));
    }
}
