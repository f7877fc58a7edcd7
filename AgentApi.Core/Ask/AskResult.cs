using AgentApi.Core.Caching;

namespace AgentApi.Core.Ask;

/// <summary>The outcome of an ask: the answer, where it came from and how long it took.</summary>
public sealed record AskResult(AskAnswer Answer, CacheSource Source, double DurationMs)
{
    /// <summary>True when no provider was called for this ask: a cache hit or a joined in-flight ask.</summary>
    public bool Cached => Source is not CacheSource.Produced;
}
