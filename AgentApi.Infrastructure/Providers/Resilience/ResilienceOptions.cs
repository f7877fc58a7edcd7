namespace AgentApi.Infrastructure.Providers.Resilience;

/// <summary>Retry and circuit-breaker settings, applied to each provider separately.</summary>
public sealed class ResilienceOptions
{
    /// <summary><c>RETRY_MAX_ATTEMPTS</c>: attempts per provider call, the first included (default 3).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary><c>RETRY_BASE_DELAY_MS</c>: first backoff ceiling; doubles each retry, full jitter (default 500 ms).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary><c>RETRY_MAX_DELAY_MS</c>: cap on one computed backoff (default 8 s). A provider's own <c>Retry-After</c> is honoured as asked, within the request's deadline.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary><c>CIRCUIT_BREAKER_FAILURES</c>: consecutive failed attempts that open a provider's circuit (default 5).</summary>
    public int BreakerFailureThreshold { get; set; } = 5;

    /// <summary><c>CIRCUIT_BREAKER_BREAK_SECONDS</c>: how long an open circuit refuses calls (default 30 s).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
