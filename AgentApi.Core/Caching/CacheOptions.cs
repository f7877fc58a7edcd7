namespace AgentApi.Core.Caching;

/// <summary>Answer cache settings.</summary>
public sealed class CacheOptions
{
    /// <summary>How long an answer is kept (<c>CACHE_TTL_SECONDS</c>, default 3600).</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Bound on answers held in memory (<c>CACHE_MAX_ENTRIES</c>, default 10,000).</summary>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>Bound on the bytes of the answers held in memory, by their serialized length (<c>CACHE_MAX_BYTES</c>, default 64 MiB).</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;
}
