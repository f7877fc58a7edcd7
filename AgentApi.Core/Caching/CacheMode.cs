namespace AgentApi.Core.Caching;

/// <summary>How an ask uses the cache.</summary>
public enum CacheMode
{
    /// <summary>Read, and write what is produced.</summary>
    ReadWrite,

    /// <summary>Skip the read (the caller asked for a fresh answer) but store the fresh answer.</summary>
    Refresh,
}
