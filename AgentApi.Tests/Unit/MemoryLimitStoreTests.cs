using AgentApi.Core.Callers;
using Microsoft.Extensions.Time.Testing;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class MemoryLimitStoreTests
{
    private static readonly DateOnly Day = new(2026, 11, 28);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
    private MemoryLimitStore _store = null!;

    [SetUp]
    public void CreateStore() => _store = new MemoryLimitStore(_time);

    [Test]
    public async Task CountRequestAsync_OverTheLimit_RefusesWithoutCountingUntilTheWindowEnds()
    {
        var window = TimeSpan.FromMinutes(1);
        var first = await _store.CountRequestAsync("key:a", 2, window, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(20));
        await _store.CountRequestAsync("key:a", 2, window, CancellationToken.None);
        var refused = await _store.CountRequestAsync("key:a", 2, window, CancellationToken.None);
        var otherCaller = await _store.CountRequestAsync("key:b", 2, window, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(40));
        var nextWindow = await _store.CountRequestAsync("key:a", 2, window, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new LimitCount(true, 1, window)));
            Assert.That(refused, Is.EqualTo(new LimitCount(false, 2, TimeSpan.FromSeconds(40))));
            Assert.That(otherCaller.Allowed, Is.True);
            Assert.That(nextWindow, Is.EqualTo(new LimitCount(true, 1, window)));
        });
    }

    [Test]
    public async Task EnterAsync_PlacesTakenGivenBackAndExpired_CountsOnlyTheLiveOnes()
    {
        var ttl = TimeSpan.FromMinutes(2);
        var one = await _store.EnterAsync("key:a", "one", 2, ttl, CancellationToken.None);
        var two = await _store.EnterAsync("key:a", "two", 2, ttl, CancellationToken.None);
        var three = await _store.EnterAsync("key:a", "three", 2, ttl, CancellationToken.None);
        await _store.ExitAsync("key:a", "one", CancellationToken.None);
        await _store.ExitAsync("key:a", "never-entered", CancellationToken.None);
        var afterExit = await _store.EnterAsync("key:a", "four", 2, ttl, CancellationToken.None);
        _time.Advance(ttl);
        var afterExpiry = await _store.EnterAsync("key:a", "five", 2, ttl, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(one.Allowed && two.Allowed, Is.True);
            Assert.That(three.Allowed, Is.False);
            Assert.That(afterExit.Allowed, Is.True);
            Assert.That(afterExpiry, Is.EqualTo(new LimitCount(true, 1, TimeSpan.Zero)), "places a dead replica held expire");
        });
    }

    [Test]
    public async Task ReserveTokensAsync_BelowTheLimit_ReservesUntilTheCountReachesIt()
    {
        var first = await _store.ReserveTokensAsync("key:a", Day, 600, 1000, CancellationToken.None);
        var second = await _store.ReserveTokensAsync("key:a", Day, 600, 1000, CancellationToken.None);
        var third = await _store.ReserveTokensAsync("key:a", Day, 600, 1000, CancellationToken.None);
        var nextDay = await _store.ReserveTokensAsync("key:a", Day.AddDays(1), 600, 1000, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new LimitCount(true, 600, TimeSpan.Zero)));
            Assert.That(second, Is.EqualTo(new LimitCount(true, 1200, TimeSpan.Zero)), "one ask may overshoot");
            Assert.That(third.Allowed, Is.False);
            Assert.That(nextDay.Allowed, Is.True);
        });
    }

    [Test]
    public async Task AdjustTokensAsync_SettledBelowTheEstimate_FreesTheDifference()
    {
        await _store.ReserveTokensAsync("key:a", Day, 900, 1000, CancellationToken.None);
        await _store.AdjustTokensAsync("key:a", Day, -800, CancellationToken.None);

        var next = await _store.ReserveTokensAsync("key:a", Day, 900, 1000, CancellationToken.None);

        Assert.That(next, Is.EqualTo(new LimitCount(true, 1000, TimeSpan.Zero)));
    }
}
