using AgentApi.Core.Caching;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Caching;

/// <summary>
/// The process's <see cref="IMemoryCache"/> (HybridCache's first tier), bounded by entry count
/// (<see cref="CacheOptions.MaxEntries"/>) and counting the entries it drops.
/// </summary>
/// <remarks>
/// HybridCache sizes each entry by its payload bytes; every entry is given <c>Size = 1</c> instead, so
/// <see cref="MemoryCacheOptions.SizeLimit"/> counts answers. HybridCache can only take the container's
/// <see cref="IMemoryCache"/>, so this is that singleton; forcing a size on every entry keeps any other user
/// of <see cref="IMemoryCache"/> working (with a size limit, an entry without a size would throw), at the
/// price of sharing the bound. When full, MemoryCache rejects a new entry and compacts in the background
/// (least recently used first); the rejected answer is still served, just not kept.
/// </remarks>
internal sealed class EntryBoundedMemoryCache : IMemoryCache
{
    private readonly MemoryCache _inner;
    private long _evictions;

    public EntryBoundedMemoryCache(IOptions<CacheOptions> options, ILoggerFactory loggerFactory)
    {
        var maxEntries = options.Value.MaxEntries;
        _inner = new MemoryCache(
            Options.Create(new MemoryCacheOptions
            {
                SizeLimit = maxEntries,

                // Compaction frees SizeLimit × percentage entries, rounded down: below about 20 entries the
                // default 5 % frees none and a full cache would reject every new answer. Free at least one.
                CompactionPercentage = Math.Min(1, Math.Max(0.05, 1.5 / maxEntries)),
                TrackStatistics = true,
            }),
            loggerFactory);
    }

    /// <summary>Entries dropped by the size bound (including new ones rejected while full) or at expiry.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    public ICacheEntry CreateEntry(object key)
    {
        var entry = _inner.CreateEntry(key);
        entry.Size = 1;
        entry.RegisterPostEvictionCallback(static (_, _, reason, state) => ((EntryBoundedMemoryCache)state!).Count(reason), this);
        return new UnitSizeCacheEntry(entry);
    }

    public bool TryGetValue(object key, out object? value) => _inner.TryGetValue(key, out value);

    public void Remove(object key) => _inner.Remove(key);

    // Must be forwarded: the interface's default implementation returns null.
    public MemoryCacheStatistics? GetCurrentStatistics() => _inner.GetCurrentStatistics();

    public void Dispose() => _inner.Dispose();

    private void Count(EvictionReason reason)
    {
        // Removed and Replaced are deliberate (a refresh, a removal), not the cache running out of room or time.
        if (reason is EvictionReason.Capacity or EvictionReason.Expired)
        {
            Interlocked.Increment(ref _evictions);
        }
    }
}
