using AgentApi.Core.Responses;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Responses;

/// <summary>
/// Stored responses' tier when Redis is not configured: this process's memory, bounded in bytes
/// (<see cref="ResponseStoreOptions.MaxBytes"/>), each entry weighing its serialized length. Unlike the answer cache,
/// which drops a new answer while it is full, a new response makes room: the least recently used responses go first,
/// since the newest is the one its caller is about to continue. A response larger than the whole bound is not kept.
/// </summary>
internal sealed class MemoryResponseTier : IDistributedCache, IDisposable
{
    private readonly MemoryCache _cache;
    private readonly long _maxBytes;

    public MemoryResponseTier(IOptions<ResponseStoreOptions> options)
    {
        _maxBytes = options.Value.MaxBytes;
        _cache = new MemoryCache(Options.Create(new MemoryCacheOptions { SizeLimit = _maxBytes, TrackStatistics = true }));
    }

    /// <summary>Bytes of the responses held.</summary>
    public long Bytes => _cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public byte[]? Get(string key) => _cache.TryGetValue(key, out byte[]? value) ? value : null;

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        if (value.LongLength > _maxBytes)
        {
            return;
        }

        var entry = new MemoryCacheEntryOptions
        {
            Size = value.LongLength,
            SlidingExpiration = options.SlidingExpiration,
            AbsoluteExpirationRelativeToNow = options.AbsoluteExpirationRelativeToNow,
            AbsoluteExpiration = options.AbsoluteExpiration,
        };
        MakeRoom(value.LongLength);
        _cache.Set(key, value, entry);
    }

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Set(key, value, options);
        return Task.CompletedTask;
    }

    // A read already slides the entry's expiry.
    public void Refresh(string key) => _cache.TryGetValue(key, out _);

    public Task RefreshAsync(string key, CancellationToken token = default)
    {
        Refresh(key);
        return Task.CompletedTask;
    }

    public void Remove(string key) => _cache.Remove(key);

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>
    /// Drops the least recently used responses until <paramref name="bytes"/> more fit. MemoryCache would reject the new
    /// entry instead and compact in the background; its compaction removes a share of the entries, so a few rounds are
    /// enough whatever their sizes.
    /// </summary>
    private void MakeRoom(long bytes)
    {
        for (var round = 0; round < 8; round++)
        {
            var statistics = _cache.GetCurrentStatistics();
            var held = statistics?.CurrentEstimatedSize ?? 0;
            var over = held + bytes - _maxBytes;
            if (over <= 0 || statistics!.CurrentEntryCount == 0)
            {
                return;
            }

            _cache.Compact(Math.Clamp((double)over / held + 0.05, 0.05, 1));
        }
    }
}
