using AgentApi.Core.Configuration;

namespace AgentApi.Web.Ask;

/// <summary>Settings of <c>POST /api/ask/stream</c>, bound from the <c>Stream</c> section.</summary>
public sealed class AskStreamOptions
{
    public const string Section = "Stream";

    /// <summary>Interval of the <c>: keep-alive</c> comments that keep idle proxies from closing a slow stream.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary><see cref="HeartbeatInterval"/> in seconds, the way configuration writes it.</summary>
    public double HeartbeatSeconds
    {
        get => HeartbeatInterval.TotalSeconds;
        set => HeartbeatInterval = Durations.FromSeconds(value);
    }
}
