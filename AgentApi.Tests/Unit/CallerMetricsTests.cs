using System.Diagnostics.Metrics;
using AgentApi.Core.Callers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class CallerMetricsTests
{
    private static readonly DateOnly Today = new(2026, 12, 10);

    private FakeTimeProvider _time = null!;
    private CallerMetrics _metrics = null!;
    private MeterListener _listener = null!;
    private readonly Dictionary<(string Instrument, string Caller), long> _observed = [];

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 10, 23, 0, 0, TimeSpan.Zero));
        var factory = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        _metrics = new CallerMetrics(factory, _time);
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name.StartsWith("agentapi.caller.budget.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _observed[(instrument.Name, (string)tags[0].Value!)] = value);
        _listener.Start();
    }

    [TearDown]
    public void TearDown() => _listener.Dispose();

    [Test]
    public void RecordBudget_KeyedCaller_ReportsItsLatestCountAndTheLimit()
    {
        _metrics.RecordBudget(Caller.Keyed("alpha"), Today, 3_000, 10_000);
        _metrics.RecordBudget(Caller.Keyed("alpha"), Today, 2_500, 10_000);

        Observe();

        Assert.Multiple(() =>
        {
            Assert.That(_observed[("agentapi.caller.budget.used", "alpha")], Is.EqualTo(2_500), "a settled ask gives back what it reserved but did not spend");
            Assert.That(_observed[("agentapi.caller.budget.limit", "alpha")], Is.EqualTo(10_000));
        });
    }

    [Test]
    public void RecordBudget_AnonymousClients_ReportTheHighestCountOfTheDay()
    {
        _metrics.RecordBudget(Caller.Anonymous("10.0.0.1"), Today, 9_000, 10_000);
        _metrics.RecordBudget(Caller.Anonymous("10.0.0.2"), Today, 100, 10_000);

        Observe();

        Assert.That(_observed[("agentapi.caller.budget.used", Caller.AnonymousName)], Is.EqualTo(9_000), "the client nearest its budget");
    }

    [Test]
    public void ObserveBudget_AfterMidnightUtc_ReportsNothingUsedToday()
    {
        _metrics.RecordBudget(Caller.Keyed("alpha"), Today, 9_000, 10_000);

        _time.Advance(TimeSpan.FromHours(1));
        Observe();

        Assert.Multiple(() =>
        {
            Assert.That(_observed[("agentapi.caller.budget.used", "alpha")], Is.Zero);
            Assert.That(_observed[("agentapi.caller.budget.limit", "alpha")], Is.EqualTo(10_000));
        });
    }

    [Test]
    public void ObserveBudget_NoCallerAdmittedUnderABudget_ReportsNoSeries()
    {
        _metrics.RecordTokens(Caller.Keyed("alpha"), 100);

        Observe();

        Assert.That(_observed, Is.Empty);
    }

    private void Observe()
    {
        _observed.Clear();
        _listener.RecordObservableInstruments();
    }
}
