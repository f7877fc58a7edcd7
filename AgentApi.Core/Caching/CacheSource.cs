namespace AgentApi.Core.Caching;

/// <summary>Where an answer came from.</summary>
public enum CacheSource
{
    /// <summary>This ask called the providers.</summary>
    Produced,

    /// <summary>Served from the cache.</summary>
    Hit,

    /// <summary>Joined an identical ask that was already calling the providers.</summary>
    Coalesced,
}
