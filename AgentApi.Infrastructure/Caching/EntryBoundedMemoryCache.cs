using AgentApi.Core.Caching;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Caching;

/// <summary>
/// The process's <see cref="IMemoryCache"/> (HybridCache's first tier), bounded both in bytes
/// (<see cref="CacheOptions.MaxBytes"/>) and in entries (<see cref="CacheOptions.MaxEntries"/>), counting the entries it drops.
/// </summary>
/// <remarks>
/// <para>
/// One size limit enforces both bounds: the limit is <c>CACHE_MAX_BYTES</c>, and each entry weighs its payload
/// bytes (HybridCache sets the serialized length) but at least <c>CACHE_MAX_BYTES / CACHE_MAX_ENTRIES</c>. The
/// weights then never sum past the limit, so neither do the bytes, and no more than <c>CACHE_MAX_ENTRIES</c>
/// entries fit. Counting entries alone let 10,000 answers of 7,000-character queries take RSS from 104 to 683 MB.
/// </para>
/// <para>
/// HybridCache can only take the container's <see cref="IMemoryCache"/>, so this is that singleton; weighing every
/// entry keeps any other user of <see cref="IMemoryCache"/> working (with a size limit, an entry without a size
/// would throw), at the price of sharing the bound. When full, MemoryCache rejects a new entry and compacts in the
/// background (least recently used first); the rejected answer is still served, just not kept.
/// </para>
/// </remarks>
internal sealed class EntryBoundedMemoryCache : IMemoryCache
{
    private readonly MemoryCache _inner;
    private readonly long _minimumWeight;
    private long _evictions;
    private long _bytes;

    public EntryBoundedMemoryCache(IOptions<CacheOptions> options, ILoggerFactory loggerFactory)
    {
        var settings = options.Value;
        _minimumWeight = Math.Max(1, settings.MaxBytes / settings.MaxEntries);
        _inner = new MemoryCache(
            Options.Create(new MemoryCacheOptions
            {
                SizeLimit = settings.MaxBytes,

                // Compaction frees SizeLimit × percentage of weight: below about 20 entries the default 5 % frees
                // less than one entry's minimum weight and a full cache would reject every new answer. Free at least one.
                CompactionPercentage = Math.Min(1, Math.Max(0.05, 1.5 / settings.MaxEntries)),
                TrackStatistics = true,
            }),
            loggerFactory);
    }

    /// <summary>Entries dropped by the bounds (including new ones rejected while full) or at expiry.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Payload bytes of the entries held (the serialized answers).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public ICacheEntry CreateEntry(object key) => new WeighedCacheEntry(_inner.CreateEntry(key), this);

    public bool TryGetValue(object key, out object? value) => _inner.TryGetValue(key, out value);

    public void Remove(object key) => _inner.Remove(key);

    // Must be forwarded: the interface's default implementation returns null.
    public MemoryCacheStatistics? GetCurrentStatistics() => _inner.GetCurrentStatistics();

    public void Dispose() => _inner.Dispose();

    /// <summary>Weighs and adds the entry; every committed entry is later evicted exactly once (rejected, replaced, removed or expired).</summary>
    internal void Commit(ICacheEntry entry, long bytes)
    {
        entry.Size = Math.Max(bytes, _minimumWeight);
        entry.RegisterPostEvictionCallback(static (_, _, reason, state) =>
        {
            var (cache, bytes) = ((EntryBoundedMemoryCache, long))state!;
            cache.Evicted(reason, bytes);
        }, (this, bytes));
        Interlocked.Add(ref _bytes, bytes);
        entry.Dispose();
    }

    private void Evicted(EvictionReason reason, long bytes)
    {
        Interlocked.Add(ref _bytes, -bytes);

        // Removed and Replaced are deliberate (a refresh, a removal), not the cache running out of room or time.
        if (reason is EvictionReason.Capacity or EvictionReason.Expired)
        {
            Interlocked.Increment(ref _evictions);
        }
    }
}
