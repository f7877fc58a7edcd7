using AgentApi.Core.Configuration;
using AgentApi.Core.Diagnostics;
using AgentApi.Web.Diagnostics;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using NLog;
using NLog.Web;

namespace AgentApi.Web.Hosting;

/// <summary>Start-up steps that shape the host: configuration sources, logging, listen address.</summary>
internal static class HostingExtensions
{
    /// <summary>The prefix of the environment variables the host reads as its own settings (<c>ASPNETCORE_URLS</c> is <c>urls</c>).</summary>
    private const string HostPrefix = "ASPNETCORE_";

    /// <summary>
    /// Host settings fixed when the builder is created, before <c>.env</c> is read: from <c>.env</c> they
    /// would only make configuration disagree with the running host (ASPNETCORE_ENVIRONMENT there has no effect).
    /// </summary>
    private static readonly string[] FixedHostSettings = [HostDefaults.EnvironmentKey, HostDefaults.ApplicationKey, HostDefaults.ContentRootKey];

    /// <summary>
    /// Reads the <c>.env</c> that <see cref="DotEnvLocator"/> finds from the working directory (there, else at
    /// the repository root) as configuration read the way the host reads real environment variables: <c>__</c>
    /// separates sections (<c>ConnectionStrings__Redis</c> is <c>ConnectionStrings:Redis</c>) and
    /// <c>ASPNETCORE_URLS</c> is also <c>urls</c>. Each source goes just before the environment-variable source
    /// it imitates, so the real environment wins. Returns where settings came from, also registered for the start-up report
    /// and as the <see cref="ISettingPaths"/> that relative paths in settings resolve against.
    /// </summary>
    public static SettingsLocation AddDotEnvFile(this WebApplicationBuilder builder) =>
        builder.AddDotEnvFile(DotEnvLocator.Locate(Directory.GetCurrentDirectory()));

    /// <summary>Reads the <c>.env</c> file <paramref name="location"/> names, if any.</summary>
    public static SettingsLocation AddDotEnvFile(this WebApplicationBuilder builder, SettingsLocation location)
    {
        builder.Services.AddSingleton(location);
        builder.Services.AddSingleton<ISettingPaths>(location);
        var values = location.DotEnvPath is null ? [] : DotEnvFile.Read(location.DotEnvPath);
        if (values.Count == 0)
        {
            return location;
        }

        var sources = builder.Configuration.Sources;
        InsertBeforeEnvironment(sources, prefix: string.Empty, values);

        var hostValues = values
            .Where(value => value.Key.StartsWith(HostPrefix, StringComparison.OrdinalIgnoreCase) && value.Key.Length > HostPrefix.Length)
            .ToDictionary(value => value.Key[HostPrefix.Length..], value => value.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var setting in FixedHostSettings)
        {
            hostValues.Remove(setting);
        }

        if (hostValues.Count > 0)
        {
            InsertBeforeEnvironment(sources, HostPrefix, hostValues);
        }

        return location;
    }

    /// <summary>
    /// Binds the options in Core and Infrastructure to the environment variables of <see cref="EnvironmentVariableMap"/>,
    /// and names settings by those variables in start-up errors and <c>missingSetting</c>. After
    /// <c>AddDotEnvFile</c>, whose values it reads like the real environment's.
    /// </summary>
    public static void AddEnvironmentVariableMap(this WebApplicationBuilder builder)
    {
        ((IConfigurationBuilder)builder.Configuration).Add(new EnvironmentVariableMapSource(builder.Configuration));
        builder.Services.AddSingleton<ISettingNames>(EnvironmentVariableMap.Instance);
    }

    /// <summary>
    /// NLog from <c>nlog.config</c>: console plus rotating files under <see cref="LogOptions.Directory"/> (relative to
    /// <paramref name="location"/>'s root), rotated at <see cref="LogOptions.MaxFileMegabytes"/> with
    /// <see cref="LogOptions.MaxArchives"/> kept. <see cref="LogOptions.Level"/> sets the minimum level through the
    /// logging filters. Read here, not through <c>IOptions</c>: logging is set up before the host is built.
    /// </summary>
    public static void AddNLogLogging(this WebApplicationBuilder builder, SettingsLocation location)
    {
        var options = builder.Configuration.GetSection(LogOptions.Section).Get<LogOptions>() ?? new LogOptions();
        var validation = new LogOptionsValidator(EnvironmentVariableMap.Instance).Validate(Options.DefaultName, options);
        if (validation.Failed || !options.TryGetLevel(out var level))
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(LogOptions), validation.Failures);
        }

        // nlog.config's console target and its ${trace-context}.
        LogManager.Setup().SetupExtensions(extensions => extensions
            .RegisterTarget<StandardOutputTarget>(StandardOutputTarget.TypeName)
            .RegisterLayoutRenderer<TraceContextLayoutRenderer>(TraceContextLayoutRenderer.Name));
        var rotation = LogRotation.From(options, location);
        builder.Services.AddSingleton(rotation);
        try
        {
            Directory.CreateDirectory(rotation.Directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSettingException(EnvironmentVariableMap.Instance.NameOf(ConfigurationPath.Combine(LogOptions.Section, nameof(LogOptions.Directory))),
                $"names a folder that cannot be created: {rotation.Directory} ({ex.Message})");
        }

        GlobalDiagnosticsContext.Set("logDir", rotation.Directory);
        rotation.Apply();

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
        // Above Debug they could write nothing, so the factory's two logging handlers are not added at all: each
        // would still open a scope and format the URI on every provider call (ProviderAttemptHandler logs the attempts).
        var debugging = level <= Microsoft.Extensions.Logging.LogLevel.Debug;
        builder.Logging.AddFilter("System.Net.Http.HttpClient", debugging ? Microsoft.Extensions.Logging.LogLevel.Debug : Microsoft.Extensions.Logging.LogLevel.Warning);
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            if (debugging)
            {
                http.RedactLoggedHeaders(static _ => true);
            }
            else
            {
                http.RemoveAllLoggers();
            }
        });
        builder.Host.UseNLog(new NLogAspNetCoreOptions { RemoveLoggerFactoryFilter = false, ReplaceLoggerFactory = false });
    }

    /// <summary>
    /// Reads every setting the host would otherwise read only as it starts: the options validated at start, the hosted
    /// services' dependencies and <c>ALLOWED_HOSTS</c> (read when the request pipeline is built). A configuration error
    /// is thrown here, before the host starts, so it reaches <see cref="ConfigurationError"/> instead of the host's own
    /// "Hosting failed to start" error line and its stack trace. On failure the app is disposed, as <c>Run</c> would have
    /// done: a host that is built but never run would otherwise keep its services (meter listeners among them) alive.
    /// </summary>
    public static WebApplication ValidateSettings(this WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            _ = app.Services.GetServices<IHostedService>();
            _ = HostHeaderMiddleware.ParseAllowedHosts(HostingOptions.Read(app.Configuration).AllowedHosts);
            return app;
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }
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

    /// <summary>
    /// Inserts <paramref name="values"/> just before the environment-variable source with <paramref name="prefix"/>
    /// (at the end when there is none), with that source's key mapping: the prefix removed, <c>__</c> as <c>:</c>.
    /// </summary>
    private static void InsertBeforeEnvironment(IList<IConfigurationSource> sources, string prefix, Dictionary<string, string> values)
    {
        var index = sources.Select((source, index) => (source, index))
            .FirstOrDefault(s => s.source is EnvironmentVariablesConfigurationSource e && (e.Prefix ?? string.Empty) == prefix, (null!, sources.Count)).index;
        var data = values.ToDictionary(
            value => value.Key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal),
            value => (string?)value.Value,
            StringComparer.OrdinalIgnoreCase);
        sources.Insert(index, new MemoryConfigurationSource { InitialData = data });
    }

    private static Microsoft.Extensions.Logging.LogLevel Max(Microsoft.Extensions.Logging.LogLevel a, Microsoft.Extensions.Logging.LogLevel b) => a > b ? a : b;
}
