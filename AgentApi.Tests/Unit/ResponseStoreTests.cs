using AgentApi.Core.Responses;
using AgentApi.Infrastructure.Responses;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;

namespace AgentApi.Tests.Unit;

/// <summary>The stored responses' store over its memory tier: owners kept apart, bounded in bytes, off at a TTL of zero.</summary>
[TestFixture]
public sealed class ResponseStoreTests
{
    private const long FourMiB = 4L * 1024 * 1024;

    [Test]
    public async Task FindAsync_AnotherOwner_NotFoundAsAnUnknownId()
    {
        using var tier = Tier(FourMiB);
        var store = Store(tier);
        await store.SaveAsync("key:alpha", Response("resp_1"), CancellationToken.None);

        var own = await store.FindAsync("key:alpha", "resp_1", CancellationToken.None);
        var other = await store.FindAsync("key:bravo", "resp_1", CancellationToken.None);
        var otherDeleted = await store.DeleteAsync("key:bravo", "resp_1", CancellationToken.None);
        var ownAfter = await store.FindAsync("key:alpha", "resp_1", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(own, Is.EqualTo(Response("resp_1")));
            Assert.That(other, Is.Null);
            Assert.That(otherDeleted, Is.False, "another owner deletes nothing");
            Assert.That(ownAfter, Is.Not.Null);
        });
    }

    [Test]
    public async Task DeleteAsync_OwnResponse_GoneAfterwards()
    {
        using var tier = Tier(FourMiB);
        var store = Store(tier);
        await store.SaveAsync("anonymous", Response("resp_2"), CancellationToken.None);

        var deleted = await store.DeleteAsync("anonymous", "resp_2", CancellationToken.None);
        var after = await store.FindAsync("anonymous", "resp_2", CancellationToken.None);
        var again = await store.DeleteAsync("anonymous", "resp_2", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.True);
            Assert.That(after, Is.Null);
            Assert.That(again, Is.False);
        });
    }

    [Test]
    public async Task SaveAsync_TierFull_DropsTheLeastRecentlyUsedToKeepTheNewest()
    {
        using var tier = Tier(FourMiB);
        var store = Store(tier);
        var quarter = new string('x', (int)(FourMiB / 4) - 1_000);
        for (var i = 0; i < 3; i++)
        {
            await store.SaveAsync("anonymous", Response($"resp_{i}", quarter), CancellationToken.None);
        }

        // Used just now: the least recently used is resp_1.
        await store.FindAsync("anonymous", "resp_0", CancellationToken.None);
        for (var i = 3; i < 6; i++)
        {
            await store.SaveAsync("anonymous", Response($"resp_{i}", quarter), CancellationToken.None);
        }

        var bytes = tier.Bytes;
        var (newest, previous, leastRecentlyUsed) = (
            await store.FindAsync("anonymous", "resp_5", CancellationToken.None),
            await store.FindAsync("anonymous", "resp_4", CancellationToken.None),
            await store.FindAsync("anonymous", "resp_1", CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(bytes, Is.LessThanOrEqualTo(FourMiB), "bounded in bytes");
            Assert.That(newest, Is.Not.Null, "the newest is kept, never rejected for room");
            Assert.That(previous, Is.Not.Null);
            Assert.That(leastRecentlyUsed, Is.Null, "the least recently used went first");
        });
    }

    [Test]
    public async Task SaveAsync_LargerThanTheWholeBound_NotKept()
    {
        using var tier = Tier(FourMiB);
        var store = Store(tier);

        await store.SaveAsync("anonymous", Response("resp_big", new string('x', (int)FourMiB)), CancellationToken.None);

        Assert.That(await store.FindAsync("anonymous", "resp_big", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task SaveAsync_TtlZero_KeepsNothing()
    {
        using var tier = Tier(FourMiB);
        var store = new CachedResponseStore(tier, Options.Create(new ResponseStoreOptions { Ttl = TimeSpan.Zero }));

        await store.SaveAsync("anonymous", Response("resp_off"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(store.Enabled, Is.False);
            Assert.That(tier.Get(CachedResponseStore.Key("anonymous", "resp_off")), Is.Null);
        });
    }

    [Test]
    public void Key_AnyOwnerAndId_OneLengthAndTheOwnerInIt()
    {
        var key = CachedResponseStore.Key("key:alpha", new string('r', 10_000));

        Assert.Multiple(() =>
        {
            Assert.That(key, Does.Match("^response:v1:[0-9a-f]{64}$"));
            Assert.That(CachedResponseStore.Key("key:bravo", "resp_1"), Is.Not.EqualTo(CachedResponseStore.Key("key:alpha", "resp_1")));
        });
    }

    private static MemoryResponseTier Tier(long maxBytes) => new(Options.Create(new ResponseStoreOptions { MaxBytes = maxBytes }));

    private static CachedResponseStore Store(IDistributedCache tier) => new(tier, Options.Create(new ResponseStoreOptions()));

    private static StoredResponse Response(string id, string text = "hello") =>
        new(id, PreviousResponseId: null, $$"""{"id":"{{id}}","output":[],"text":"{{text}}"}""", "[]");
}
