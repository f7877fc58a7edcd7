using System.Diagnostics;
using System.Reflection;

namespace AgentApi.Web.Hosting;

/// <summary>Name, version and start time of this process.</summary>
public sealed class ServiceInfo
{
    public const string Name = "AgentApi";

    private readonly TimeProvider _timeProvider;
    private readonly DateTimeOffset _started;

    public ServiceInfo(TimeProvider timeProvider)
        : this(timeProvider, ProcessStartTime())
    {
    }

    /// <param name="timeProvider">The clock.</param>
    /// <param name="started">When the process started.</param>
    internal ServiceInfo(TimeProvider timeProvider, DateTimeOffset started)
    {
        _timeProvider = timeProvider;
        _started = started;
    }

    public static string AssemblyVersion { get; } = typeof(ServiceInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public string Version => AssemblyVersion;

    /// <summary>Time since the process started; not since this object was made, on the first request that needed it.</summary>
    public TimeSpan Uptime => _timeProvider.GetUtcNow() - _started is { Ticks: > 0 } uptime ? uptime : TimeSpan.Zero;

    private static DateTimeOffset ProcessStartTime()
    {
        using var process = Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }
}
