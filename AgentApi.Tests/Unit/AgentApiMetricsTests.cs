using System.Diagnostics.Metrics;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class AgentApiMetricsTests
{
    private static readonly ChatModelInfo Executor = new(ModelRole.Executor, "openai", "gpt-4o-mini", null);

    private AgentApiMetrics _metrics = null!;
    private MeterListener _listener = null!;
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _recorded = [];

    [SetUp]
    public void SetUp()
    {
        _recorded.Clear();
        _metrics = TestMetrics.Create(out var factory);

        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    [TearDown]
    public void TearDown() => _listener.Dispose();

    [Test]
    public void RecordUsage_PricedModel_CountsTokensByTypeAndCost()
    {
        _metrics.RecordUsage(Executor.Role, Executor.Provider, Executor.Model, new TokenUsage(1_000, 500));

        Assert.Multiple(() =>
        {
            Assert.That(_recorded.Single(r => r.Instrument == "agentapi.tokens" && (string?)r.Tags["type"] == "input").Value, Is.EqualTo(1_000));
            Assert.That(_recorded.Single(r => r.Instrument == "agentapi.tokens" && (string?)r.Tags["type"] == "output").Value, Is.EqualTo(500));
            Assert.That(_recorded.Single(r => r.Instrument == "agentapi.cost.usd").Value, Is.EqualTo((1_000 * 0.15 + 500 * 0.60) / 1e6).Within(1e-15));
            Assert.That(_recorded.Single(r => r.Instrument == "agentapi.cost.usd").Tags, Is.EquivalentTo(new Dictionary<string, object?>
            {
                ["role"] = "executor", ["provider"] = "openai", ["model"] = "gpt-4o-mini",
            }));
        });
    }

    [Test]
    public void RecordUsage_UnpricedModel_CountsTokensOnly()
    {
        _metrics.RecordUsage(Executor.Role, Executor.Provider, "llama3", new TokenUsage(10, 5));

        Assert.Multiple(() =>
        {
            Assert.That(_recorded.Where(r => r.Instrument == "agentapi.tokens").Sum(r => r.Value), Is.EqualTo(15));
            Assert.That(_recorded.Any(r => r.Instrument == "agentapi.cost.usd"), Is.False);
        });
    }

    [Test]
    public void RecordRouteUsage_PricedModel_CountsTokensAndCostByRoute()
    {
        _metrics.RecordRouteUsage("coding", "gpt-4o-mini", new TokenUsage(1_000, 500));
        _metrics.RecordAsk("coding", cached: true, "tool_calls");

        Assert.Multiple(() =>
        {
            Assert.That(_recorded.Single(r => r.Instrument == "agentapi.route.tokens" && (string?)r.Tags["type"] == "input").Tags["route"], Is.EqualTo("coding"));
            Assert.That(_recorded.Where(r => r.Instrument == "agentapi.route.tokens").Sum(r => r.Value), Is.EqualTo(1_500));
            Assert.That(_recorded.Single(r => r.Instrument == "agentapi.route.cost.usd").Value, Is.EqualTo((1_000 * 0.15 + 500 * 0.60) / 1e6).Within(1e-15));
            Assert.That(_recorded.Single(r => r.Instrument == "agentapi.route.cost.usd").Tags, Is.EquivalentTo(new Dictionary<string, object?> { ["route"] = "coding" }));
            Assert.That(_recorded.Single(r => r.Instrument == "agentapi.asks").Tags, Is.EquivalentTo(new Dictionary<string, object?> { ["route"] = "coding", ["cached"] = "true", ["finish_reason"] = "tool_calls" }));
        });
    }

    [Test]
    public void Record_EveryPerAskInstrumentWithAListener_AllocatesNothing()
    {
        _listener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _listener.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        var usage = new TokenUsage(120, 80);
        RecordOneAsk(usage);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            RecordOneAsk(usage);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private void RecordOneAsk(TokenUsage usage)
    {
        _metrics.RecordProviderCall(Executor.Role, Executor.Provider, Executor.Model, ProviderOutcome.Success, TimeSpan.FromMilliseconds(800));
        _metrics.RecordUsage(Executor.Role, Executor.Provider, Executor.Model, usage);
        _metrics.RecordRetry(Executor.Role, Executor.Provider, Executor.Model, "HTTP 503");
        _metrics.RecordRouteUsage("coding", Executor.Model, usage);
        _metrics.RecordAsk("coding", cached: false, "stop");
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _recorded.Add((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
    }
}
