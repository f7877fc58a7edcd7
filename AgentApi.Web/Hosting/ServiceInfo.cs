using System.Reflection;

namespace AgentApi.Web.Hosting;

/// <summary>Name, version and start time of this process.</summary>
public sealed class ServiceInfo(TimeProvider timeProvider)
{
    public const string Name = "AgentApi";

    private readonly long _started = timeProvider.GetTimestamp();

    public static string AssemblyVersion { get; } = typeof(ServiceInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public string Version => AssemblyVersion;

    public TimeSpan Uptime => timeProvider.GetElapsedTime(_started);
}
