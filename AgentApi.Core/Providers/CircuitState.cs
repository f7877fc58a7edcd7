namespace AgentApi.Core.Providers;

/// <summary>State of a provider's circuit breaker.</summary>
public enum CircuitState
{
    /// <summary>Calls flow normally.</summary>
    Closed,

    /// <summary>Recent calls failed repeatedly; calls are refused until the break ends.</summary>
    Open,

    /// <summary>The break ended; the next call is a trial.</summary>
    HalfOpen,
}
