namespace AgentApi.Core.Callers;

/// <summary>Who may be answered from an answer another ask cached (<c>CACHE_SCOPE</c>).</summary>
public enum CacheScope
{
    /// <summary>Only asks of the same caller share cached answers: nobody learns from <c>cached: true</c> what another caller asked.</summary>
    Caller,

    /// <summary>Every caller shares every cached answer: more hits, but a caller can tell that a question was asked before.</summary>
    Global,
}
