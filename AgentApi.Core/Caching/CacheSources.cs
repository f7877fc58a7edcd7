namespace AgentApi.Core.Caching;

/// <summary>The one name of each <see cref="CacheSource"/> in headers, logs and metrics.</summary>
public static class CacheSources
{
    public static string Name(CacheSource source) => source switch
    {
        CacheSource.Hit => "hit",
        CacheSource.Coalesced => "coalesced",
        _ => "miss",
    };
}
