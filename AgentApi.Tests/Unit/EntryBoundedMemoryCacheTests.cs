using AgentApi.Core.Caching;
using AgentApi.Infrastructure.Caching;
using AgentApi.Tests.Support;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class EntryBoundedMemoryCacheTests
{
    private static EntryBoundedMemoryCache Create(int maxEntries) =>
        new(Options.Create(new CacheOptions { MaxEntries = maxEntries }), NullLoggerFactory.Instance);

    [Test]
    public async Task Set_MoreEntriesThanMaxEntries_KeepsAtMostMaxAndCountsEvictions()
    {
        using var cache = Create(maxEntries: 3);

        for (var i = 0; i < 8; i++)
        {
            // HybridCache sets the payload size in bytes; small entries are still bounded by count.
            cache.Set($"answer-{i}", new object(), new MemoryCacheEntryOptions { Size = 4_000 });
        }

        // Compaction and eviction callbacks run in the background, so an entry can be gone from the count
        // before its eviction is counted, and on a busy machine the count can stand above the bound until the
        // compaction the last Set started has run. Judge one snapshot in which every answer is accounted for
        // and that compaction is done.
        MemoryCacheStatistics? statistics = null;
        long evictions = 0, bytes = 0;
        string? previous = null;
        await Eventually.TrueAsync(() =>
        {
            statistics = cache.GetCurrentStatistics();
            evictions = cache.Evictions;
            bytes = cache.Bytes;
            var settled = statistics is not null && statistics.CurrentEntryCount <= 3
                && evictions + statistics.CurrentEntryCount == 8 && bytes == statistics.CurrentEntryCount * 4_000;

            // The same snapshot twice in a row: a compaction may still be removing more than the bound asks.
            var snapshot = $"{statistics?.CurrentEntryCount}/{evictions}/{bytes}";
            var stable = settled && snapshot == previous;
            previous = snapshot;
            return stable;
        });

        Assert.Multiple(() =>
        {
            Assert.That(statistics, Is.Not.Null, "statistics must be forwarded, not the interface's null default");
            Assert.That(statistics!.CurrentEntryCount, Is.InRange(1, 3));
            Assert.That(bytes, Is.EqualTo(statistics.CurrentEntryCount * 4_000), "the payload bytes of the entries held");
            Assert.That(evictions + statistics.CurrentEntryCount, Is.EqualTo(8), "each answer is either kept or counted as evicted");
        });
    }

    [Test]
    public async Task Set_LargeEntriesPastMaxBytes_KeepsTheBytesUnderTheBound()
    {
        const long maxBytes = 100_000;
        using var cache = new EntryBoundedMemoryCache(Options.Create(new CacheOptions { MaxEntries = 1_000, MaxBytes = maxBytes }), NullLoggerFactory.Instance);

        for (var i = 0; i < 50; i++)
        {
            cache.Set($"answer-{i}", new object(), new MemoryCacheEntryOptions { Size = 15_000 });
        }

        // Rejections and compaction report back in the background: judge once every entry is accounted for.
        await Eventually.TrueAsync(() => cache.Evictions + cache.GetCurrentStatistics()!.CurrentEntryCount == 50 && cache.Bytes <= maxBytes);
        Assert.Multiple(() =>
        {
            Assert.That(cache.GetCurrentStatistics()!.CurrentEntryCount, Is.InRange(1, 6), "100,000 bytes hold six entries of 15,000");
            Assert.That(cache.Evictions, Is.GreaterThanOrEqualTo(44));
            Assert.That(cache.Bytes, Is.LessThanOrEqualTo(maxBytes));
        });
    }

    [Test]
    public async Task TryGetValue_EntryExpired_CountsEviction()
    {
        using var cache = Create(maxEntries: 10);
        cache.Set("answer", new object(), TimeSpan.FromMilliseconds(1));
        await Task.Delay(20);

        var found = cache.TryGetValue("answer", out _);

        await Eventually.TrueAsync(() => cache.Evictions == 1);
        Assert.That(found, Is.False);
    }

    [Test]
    public async Task Remove_Entry_IsNotCountedAsEviction()
    {
        using var cache = Create(maxEntries: 10);
        cache.Set("answer", new object());

        cache.Remove("answer");

        await Task.Delay(50);
        Assert.That(cache.Evictions, Is.Zero);
    }
}
