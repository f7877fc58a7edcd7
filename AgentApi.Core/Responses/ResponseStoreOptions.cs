using AgentApi.Core.Configuration;

namespace AgentApi.Core.Responses;

/// <summary>Stored responses' settings (<c>/v1/responses</c>), bound from the <c>Responses</c> section.</summary>
public sealed class ResponseStoreOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Responses";

    /// <summary>How long a stored response is kept; zero keeps none (<c>store</c> is then answered as false).</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromDays(1);

    /// <summary><see cref="Ttl"/> in seconds, the way configuration writes it.</summary>
    public double TtlSeconds
    {
        get => Ttl.TotalSeconds;
        set => Ttl = Durations.FromSeconds(value);
    }

    /// <summary>Bound on the bytes of the stored responses held in memory (when Redis is not configured).</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;
}
