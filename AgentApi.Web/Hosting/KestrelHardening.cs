using AgentApi.Core.Configuration;
using AgentApi.Web.Ask;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AgentApi.Web.Hosting;

/// <summary>
/// Kestrel's limits, set on purpose rather than left at defaults: a connection cap well below the
/// process's file limit, timeouts for idle, slow and stalled clients, and bounds on headers and bodies.
/// </summary>
/// <remarks>
/// Without a cap, 20,000 idle TCP connections took the process to its file limit (<c>ulimit -n</c>) and it
/// died. Every connection is a file descriptor; the process also needs some for its log files, the
/// providers' sockets, Redis and the runtime itself, so the cap stays well below the limit.
/// </remarks>
internal static class KestrelHardening
{
    public const int DefaultMaxConnections = 1_000;
    private const int MaxMaxConnections = 1_000_000;

    /// <summary>
    /// How long an idle connection is kept, before its first request or between requests. Longer than the 60 s
    /// idle timeout of common load balancers, so the balancer closes first and never reuses a connection this
    /// side has just closed; short enough that idle sockets give their slot back within a minute or two.
    /// </summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(75);

    /// <summary>From the first byte of a request to the end of its headers (slowloris).</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Bodies and responses must move at least 240 bytes/s after a 5 s grace period (a slow-body attack, a reader that stalls).</summary>
    public static readonly MinDataRate MinDataRate = new(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));

    public const int MaxRequestHeadersTotalSize = 32 * 1024;
    public const int MaxRequestHeaderCount = 64;
    public const int MaxRequestLineSize = 8 * 1024;

    /// <summary>Applies <c>MAX_CONNECTIONS</c> and the fixed limits above to Kestrel, and drops the <c>Server</c> header.</summary>
    public static void UseKestrelHardening(this WebApplicationBuilder builder)
    {
        var maxConnections = HostingOptions.Read(builder.Configuration).MaxConnections;
        if (maxConnections is < 1 or > MaxMaxConnections)
        {
            throw new InvalidSettingException(HostingOptions.NameOf(nameof(HostingOptions.MaxConnections)), $"must be from 1 to {MaxMaxConnections}, and well below the file limit (ulimit -n).");
        }

        builder.WebHost.ConfigureKestrel(options => Apply(options, maxConnections));

        // Kestrel logs a Warning for every connection refused at the cap: a flood of connections would become a
        // flood of log lines. The count is in /metrics (kestrel_rejected_connections_total) instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.Connections", LogLevel.Error);
    }

    internal static void Apply(KestrelServerOptions options, int maxConnections)
    {
        options.AddServerHeader = false;
        var limits = options.Limits;
        limits.MaxConcurrentConnections = maxConnections;
        limits.MaxConcurrentUpgradedConnections = maxConnections;
        limits.KeepAliveTimeout = KeepAliveTimeout;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.MinRequestBodyDataRate = MinDataRate;
        limits.MinResponseDataRate = MinDataRate;
        limits.MaxRequestHeadersTotalSize = MaxRequestHeadersTotalSize;
        limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
        limits.MaxRequestLineSize = MaxRequestLineSize;
        limits.MaxRequestBodySize = Pipeline.RequestRules.MaxBodyBytes;
    }
}
