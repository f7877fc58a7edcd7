using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace AgentApi.Infrastructure.Caching;

/// <summary>
/// A cache entry whose weight against the size limit is decided by <see cref="EntryBoundedMemoryCache"/> when it is
/// committed: the payload bytes its creator sets (HybridCache sets the serialized length), but never less than the
/// cache's per-entry minimum.
/// </summary>
internal sealed class WeighedCacheEntry(ICacheEntry inner, EntryBoundedMemoryCache cache) : ICacheEntry
{
    private long? _bytes;

    public object Key => inner.Key;

    public object? Value
    {
        get => inner.Value;
        set => inner.Value = value;
    }

    public DateTimeOffset? AbsoluteExpiration
    {
        get => inner.AbsoluteExpiration;
        set => inner.AbsoluteExpiration = value;
    }

    public TimeSpan? AbsoluteExpirationRelativeToNow
    {
        get => inner.AbsoluteExpirationRelativeToNow;
        set => inner.AbsoluteExpirationRelativeToNow = value;
    }

    public TimeSpan? SlidingExpiration
    {
        get => inner.SlidingExpiration;
        set => inner.SlidingExpiration = value;
    }

    public IList<IChangeToken> ExpirationTokens => inner.ExpirationTokens;

    public IList<PostEvictionCallbackRegistration> PostEvictionCallbacks => inner.PostEvictionCallbacks;

    public CacheItemPriority Priority
    {
        get => inner.Priority;
        set => inner.Priority = value;
    }

    /// <summary>The payload's bytes as its creator says; the weight that counts is set on commit.</summary>
    public long? Size
    {
        get => _bytes;
        set => _bytes = value is < 0 ? throw new ArgumentOutOfRangeException(nameof(value)) : value;
    }

    /// <summary>Commits the entry (MemoryCache adds it on dispose), weighed and accounted for.</summary>
    public void Dispose() => cache.Commit(inner, _bytes ?? 0);
}
