namespace AgentApi.Core.Caching;

/// <summary>Counters since start.</summary>
/// <param name="Hits">Asks served from the cache.</param>
/// <param name="Misses">Asks that called the providers.</param>
/// <param name="Coalesced">Asks that joined an identical in-flight ask.</param>
/// <param name="Entries">Answers held in memory now.</param>
/// <param name="Evictions">Answers dropped from memory before their TTL (size bound) or at expiry.</param>
/// <param name="Ttl">How long an answer is kept.</param>
/// <param name="MaxEntries">Bound on answers held in memory.</param>
/// <param name="Tiers">Active tiers, e.g. <c>memory</c>, <c>redis</c>.</param>
/// <param name="DistributedErrors">Failures talking to the distributed tier, survived.</param>
/// <param name="Bytes">Serialized bytes of the answers held in memory now.</param>
/// <param name="MaxBytes">Bound on those bytes.</param>
public sealed record CacheStatistics(
    long Hits,
    long Misses,
    long Coalesced,
    long Entries,
    long Evictions,
    TimeSpan Ttl,
    long MaxEntries,
    IReadOnlyList<string> Tiers,
    long DistributedErrors,
    long Bytes,
    long MaxBytes)
{
    public double HitRatio => Hits + Misses + Coalesced == 0 ? 0 : (double)(Hits + Coalesced) / (Hits + Misses + Coalesced);
}
