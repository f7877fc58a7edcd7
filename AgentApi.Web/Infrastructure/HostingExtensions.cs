using AgentApi.Core.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;
using NLog;
using NLog.Web;

namespace AgentApi.Web.Infrastructure;

/// <summary>Start-up steps that shape the host: configuration sources, logging, listen address.</summary>
internal static class HostingExtensions
{
    /// <summary>
    /// Reads <c>.env</c> from the working directory, when present, as a configuration source placed
    /// just before the environment variables, so the real environment wins.
    /// </summary>
    public static void AddDotEnvFile(this WebApplicationBuilder builder, string path = ".env")
    {
        var values = DotEnvFile.Read(Path.GetFullPath(path));
        if (values.Count == 0)
        {
            return;
        }

        var sources = builder.Configuration.Sources;
        var environmentIndex = sources.Select((source, index) => (source, index))
            .FirstOrDefault(s => s.source is EnvironmentVariablesConfigurationSource { Prefix: null or "" }, (null!, sources.Count)).index;
        sources.Insert(environmentIndex, new MemoryConfigurationSource { InitialData = values! });
    }

    /// <summary>
    /// NLog from <c>nlog.config</c>: console plus rotating files under <c>LOG_DIR</c> (default <c>logs/</c>).
    /// <c>LOG_LEVEL</c> sets the minimum level through the logging filters.
    /// </summary>
    public static void AddNLogLogging(this WebApplicationBuilder builder)
    {
        var logDirectory = Path.GetFullPath(SettingReader.GetString(builder.Configuration, EnvironmentVariables.LogDir) ?? "logs");
        Directory.CreateDirectory(logDirectory);
        GlobalDiagnosticsContext.Set("logDir", logDirectory);

        var levelText = SettingReader.GetString(builder.Configuration, EnvironmentVariables.LogLevel) ?? nameof(Microsoft.Extensions.Logging.LogLevel.Information);
        if (!Enum.TryParse<Microsoft.Extensions.Logging.LogLevel>(levelText, ignoreCase: true, out var level))
        {
            throw new InvalidSettingException(EnvironmentVariables.LogLevel, $"must be one of Trace, Debug, Information, Warning, Error, Critical, None, but is '{levelText}'.");
        }

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(level);
        builder.Logging.AddFilter("Microsoft", Max(level, Microsoft.Extensions.Logging.LogLevel.Warning));
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", level);
        // The health check service logs every Unhealthy check of every probe as an Error: a load balancer
        // probing /healthz/ready while a key is missing would write two errors every few seconds. The
        // probe's answer and the metrics say it; the checks only read in-memory state and cannot throw.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", Max(level, Microsoft.Extensions.Logging.LogLevel.Critical));
        // HttpClient's own request/response lines only when debugging, and never its Trace header dumps: their
        // message is redacted, but their structured properties (written to the JSON file) hold the raw values, keys included.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", level <= Microsoft.Extensions.Logging.LogLevel.Debug ? Microsoft.Extensions.Logging.LogLevel.Debug : Microsoft.Extensions.Logging.LogLevel.Warning);
        builder.Services.ConfigureHttpClientDefaults(http => http.RedactLoggedHeaders(static _ => true));
        builder.Host.UseNLog(new NLogAspNetCoreOptions { RemoveLoggerFactoryFilter = false, ReplaceLoggerFactory = false });
    }

    /// <summary>Listens on <paramref name="address"/> unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public static void UseDefaultAddress(this WebApplicationBuilder builder, string address)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.HttpPortsKey])
            && string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.HttpsPortsKey]))
        {
            builder.WebHost.UseUrls(address);
        }
    }

    private static Microsoft.Extensions.Logging.LogLevel Max(Microsoft.Extensions.Logging.LogLevel a, Microsoft.Extensions.Logging.LogLevel b) => a > b ? a : b;
}
