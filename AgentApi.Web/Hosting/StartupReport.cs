using System.Globalization;
using AgentApi.Core.Caching;
using AgentApi.Core.Callers;
using AgentApi.Core.Providers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Hosting;

/// <summary>
/// Once the server listens, logs one Information block that says what this process is doing: version, listen
/// address, the <c>.env</c> read, both providers (protocol, model, base URL; never keys), cache tiers, where logs
/// go and how callers are admitted; then one Warning per missing key, naming the variable to set.
/// </summary>
internal sealed class StartupReport(
    IHostApplicationLifetime lifetime,
    IServer server,
    SettingsLocation settings,
    LogRotation logs,
    ProviderEndpoints providers,
    [FromKeyedServices(ModelRole.Orchestrator)] IChatModel orchestrator,
    [FromKeyedServices(ModelRole.Executor)] IChatModel executor,
    IAnswerCache cache,
    IOptions<CallerOptions> callers,
    ILogger<StartupReport> logger) : IHostedService
{
    /// <summary>How callers are admitted, never naming a key.</summary>
    private string CallerKeyMode => callers.Value.IsOpen
        ? "open: no caller keys configured"
        : $"{callers.Value.Keys.Count} caller key(s) required on /api/*";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Report);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        var listening = addresses is { Count: > 0 } ? string.Join(", ", addresses) : "(no address: in-process test server)";
        var dotEnv = settings.DotEnvPath is { } path
            ? $"{path} (real environment variables win)"
            : $"none (looked in {string.Join(" and ", settings.Searched)})";
        var (o, e) = (providers.Orchestrator, providers.Executor);
        var stats = cache.GetStatistics();

        Log.StartupReport(logger, ServiceInfo.AssemblyVersion, listening);
        Log.StartupSetting(logger, ".env", dotEnv);
        Log.StartupSetting(logger, "orchestrator", $"{o.Protocol} {o.Model} at {o.BaseUrl}");
        Log.StartupSetting(logger, "executor", $"{e.Protocol} {e.Model} at {e.BaseUrl}");
        Log.StartupSetting(logger, "cache", string.Create(CultureInfo.InvariantCulture,
            $"{string.Join(" + ", stats.Tiers)}, answers kept {stats.Ttl.TotalSeconds} s, at most {stats.MaxEntries} and {stats.MaxBytes / (1024 * 1024)} MiB in memory"));
        Log.StartupSetting(logger, "logs", string.Create(CultureInfo.InvariantCulture,
            $"{logs.Directory} (rotated at {logs.MaxFileMegabytes} MiB, {logs.MaxArchives} archives kept)"));
        Log.StartupSetting(logger, "callers", CallerKeyMode);

        foreach (var status in new[] { orchestrator.Info, executor.Info })
        {
            if (status.MissingSetting is { } variable)
            {
                Log.KeyMissing(logger, variable, status.Role, status.Provider);
            }
        }
    }
}
