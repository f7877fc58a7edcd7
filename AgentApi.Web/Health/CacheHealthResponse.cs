namespace AgentApi.Web.Health;

/// <summary>Answer cache statistics since start.</summary>
/// <example>
/// { "hits": 12, "misses": 30, "coalesced": 2, "hitRatio": 0.3182, "entries": 30, "maxEntries": 10000, "evictions": 0, "ttlSeconds": 3600, "tiers": ["memory"], "distributedErrors": 0, "bytes": 183500, "maxBytes": 67108864 }
/// </example>
/// <param name="Hits">Requests served from the cache.</param>
/// <param name="Misses">Requests that called the providers.</param>
/// <param name="Coalesced">Requests that joined an identical request already in flight.</param>
/// <param name="HitRatio">(hits + coalesced) / all lookups, 0 when there were none.</param>
/// <param name="Entries">Answers held in memory now.</param>
/// <param name="MaxEntries">Bound on answers held in memory.</param>
/// <param name="Evictions">Answers removed from memory (size bound or expiry).</param>
/// <param name="TtlSeconds">How long an answer is kept.</param>
/// <param name="Tiers">Active tiers: <c>memory</c>, and <c>redis</c> when configured.</param>
/// <param name="DistributedErrors">Failures talking to the distributed tier that were survived.</param>
/// <param name="Bytes">Serialized bytes of the answers held in memory now.</param>
/// <param name="MaxBytes">Bound on those bytes.</param>
public sealed record CacheHealthResponse(
    long Hits,
    long Misses,
    long Coalesced,
    double HitRatio,
    long Entries,
    long MaxEntries,
    long Evictions,
    double TtlSeconds,
    IReadOnlyList<string> Tiers,
    long DistributedErrors,
    long Bytes,
    long MaxBytes);
