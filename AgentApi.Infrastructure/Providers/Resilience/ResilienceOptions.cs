using AgentApi.Core.Configuration;

namespace AgentApi.Infrastructure.Providers.Resilience;

/// <summary>Retry and circuit-breaker settings, applied to each provider separately; bound from the <c>Resilience</c> section.</summary>
public sealed class ResilienceOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Resilience";

    /// <summary>Attempts per provider call, the first included.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First backoff ceiling; doubles each retry, full jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cap on one computed backoff. A provider's own <c>Retry-After</c> is honoured as asked, within the request's deadline.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Share of failed attempts within <see cref="BreakerSamplingDuration"/> that opens a provider's circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts the sampling window must hold before the ratio can open the circuit: a few slow prompts never do.</summary>
    public int BreakerMinimumCalls { get; set; } = 20;

    /// <summary>The window over which the failure ratio is measured.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><see cref="BaseDelay"/> in milliseconds, the way configuration writes it.</summary>
    public double BaseDelayMilliseconds
    {
        get => BaseDelay.TotalMilliseconds;
        set => BaseDelay = Durations.FromMilliseconds(value);
    }

    /// <summary><see cref="MaxDelay"/> in milliseconds, the way configuration writes it.</summary>
    public double MaxDelayMilliseconds
    {
        get => MaxDelay.TotalMilliseconds;
        set => MaxDelay = Durations.FromMilliseconds(value);
    }

    /// <summary><see cref="BreakerSamplingDuration"/> in seconds, the way configuration writes it.</summary>
    public double BreakerSamplingSeconds
    {
        get => BreakerSamplingDuration.TotalSeconds;
        set => BreakerSamplingDuration = Durations.FromSeconds(value);
    }

    /// <summary><see cref="BreakDuration"/> in seconds, the way configuration writes it.</summary>
    public double BreakDurationSeconds
    {
        get => BreakDuration.TotalSeconds;
        set => BreakDuration = Durations.FromSeconds(value);
    }
}
