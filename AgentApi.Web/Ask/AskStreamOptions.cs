namespace AgentApi.Web.Ask;

/// <summary>Settings of <c>POST /api/ask/stream</c>.</summary>
public sealed class AskStreamOptions
{
    /// <summary><c>STREAM_HEARTBEAT_SECONDS</c>: interval of the <c>: keep-alive</c> comments that keep idle proxies from closing a slow stream (default 15 s).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}
