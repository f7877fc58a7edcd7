using AgentApi.Core.Configuration;

namespace AgentApi.Web.Hosting;

/// <summary>Settings of the HTTP host itself, bound from the <c>Hosting</c> section; read while the host is built.</summary>
internal sealed class HostingOptions
{
    public const string Section = "Hosting";

    /// <summary>Kestrel's cap on open connections, normal and upgraded alike; well below the process's file limit.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Host names this service answers (<c>example.com;*.example.com</c>); any when unset.</summary>
    public string? AllowedHosts { get; set; }

    /// <summary>Origins whose browsers may read answers (<c>https://app.example.com;…</c>); none when unset.</summary>
    public string? CorsOrigins { get; set; }

    public static HostingOptions Read(IConfiguration configuration) => configuration.GetSection(Section).Get<HostingOptions>() ?? new HostingOptions();

    /// <summary>The setting as an operator names it, for start-up errors.</summary>
    public static string NameOf(string property) => EnvironmentVariableMap.Instance.NameOf(ConfigurationPath.Combine(Section, property));
}
