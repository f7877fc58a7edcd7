namespace AgentApi.Core.Caching;

/// <summary>Answer cache settings.</summary>
public sealed class CacheOptions
{
    /// <summary>How long an answer is kept (<c>CACHE_TTL_SECONDS</c>, default 3600).</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Bound on answers held in memory (<c>CACHE_MAX_ENTRIES</c>, default 10,000).</summary>
    public int MaxEntries { get; set; } = 10_000;
}
