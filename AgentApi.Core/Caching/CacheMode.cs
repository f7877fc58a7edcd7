namespace AgentApi.Core.Caching;

/// <summary>How an ask uses the cache.</summary>
public enum CacheMode
{
    /// <summary>Read, and write what is produced.</summary>
    ReadWrite,

    /// <summary>Skip the read (the caller asked for a fresh answer) but store the fresh answer.</summary>
    Refresh,

    /// <summary>Neither read nor store (<c>Cache-Control: no-store</c>): the ask is answered as if there were no cache, and is not counted as a lookup.</summary>
    Bypass,
}
