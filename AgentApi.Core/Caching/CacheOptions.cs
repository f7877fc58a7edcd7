using AgentApi.Core.Configuration;

namespace AgentApi.Core.Caching;

/// <summary>Answer cache settings, bound from the <c>Cache</c> section.</summary>
public sealed class CacheOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Cache";

    /// <summary>How long an answer is kept; zero disables caching.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Bound on answers held in memory.</summary>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary><see cref="Ttl"/> in seconds, the way configuration writes it.</summary>
    public double TtlSeconds
    {
        get => Ttl.TotalSeconds;
        set => Ttl = Durations.FromSeconds(value);
    }

    /// <summary>Bound on the bytes of the answers held in memory, by their serialized length.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;
}
