using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace AgentApi.Infrastructure.Caching;

/// <summary>A cache entry whose size stays 1, whatever its creator sets: the size limit then counts entries.</summary>
internal sealed class UnitSizeCacheEntry(ICacheEntry inner) : ICacheEntry
{
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

    // HybridCache sets the payload's byte count here; the bound counts entries, so every entry weighs 1.
    public long? Size
    {
        get => inner.Size;
        set => inner.Size = 1;
    }

    public void Dispose() => inner.Dispose();
}
