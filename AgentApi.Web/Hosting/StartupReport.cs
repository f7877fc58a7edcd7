using System.Globalization;
using AgentApi.Core.Caching;
using AgentApi.Core.Callers;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;
using AgentApi.Core.Responses;
using AgentApi.Core.Routing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using AgentApi.Web.Diagnostics;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Hosting;

/// <summary>
/// Once the server listens, logs one Information block that says what this process is doing: version, listen
/// address, the <c>.env</c> read, both providers (protocol, model, base URL; never keys), the routes file, cache
/// tiers and stored responses, where logs go, how callers are admitted (and the keys file read) and where traces go; then one Warning per missing key,
/// naming the variable to set. Written as the host's last start-up step, before it reports started: whatever waits
/// for that (the warm-up) writes after the block, never inside it.
/// </summary>
internal sealed class StartupReport(
    IServer server,
    SettingsLocation settings,
    LogRotation logs,
    ProviderEndpoints providers,
    [FromKeyedServices(ModelRole.Orchestrator)] IChatModel orchestrator,
    [FromKeyedServices(ModelRole.Executor)] IChatModel executor,
    IAnswerCache cache,
    IOptions<CallerOptions> callers,
    IOptions<ResponseStoreOptions> responses,
    IOptions<RouteTableOptions> routeFile,
    RouteTable routes,
    TraceExport traces,
    IOptions<TracingOptions> tracing,
    ILogger<StartupReport> logger) : IHostedLifecycleService
{
    /// <summary>How callers are admitted, never naming a key.</summary>
    private string CallerKeyMode => callers.Value.IsOpen
        ? "open: no caller keys configured"
        : $"{callers.Value.Keys.Count} caller key(s) required on /api/* and /v1/*";

    /// <summary>Where <c>/v1/responses</c> keeps responses and for how long.</summary>
    private string StoredResponses(bool redis)
    {
        var options = responses.Value;
        return options.Ttl <= TimeSpan.Zero ? "off (none kept)" : string.Create(CultureInfo.InvariantCulture,
            $"{(redis ? "redis" : $"memory (at most {options.MaxBytes / (1024 * 1024)} MiB)")}, kept {options.Ttl.TotalSeconds} s after last use");
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After every hosted service has started (the server listens), before the host reports started.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        Report();
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
        Log.StartupSetting(logger, "routes", string.Create(CultureInfo.InvariantCulture,
            $"{routeFile.Value.File ?? "built-in"}, {routes.Routes.Count} routes, default {routes.Default.Name}"));
        if (routes.Providers.Count > 0)
        {
            Log.StartupSetting(logger, "providers", string.Join(", ", routes.Providers.Select(p => $"{p.Name} ({p.Protocol} at {p.BaseUrl ?? "its public endpoint"})")));
        }

        Log.StartupSetting(logger, "cache", string.Create(CultureInfo.InvariantCulture,
            $"{string.Join(" + ", stats.Tiers)}, answers kept {stats.Ttl.TotalSeconds} s, at most {stats.MaxEntries} and {stats.MaxBytes / (1024 * 1024)} MiB in memory"));
        Log.StartupSetting(logger, "stored responses", StoredResponses(stats.Tiers.Contains("redis")));
        Log.StartupSetting(logger, "logs", string.Create(CultureInfo.InvariantCulture,
            $"{logs.Directory} (rotated at {logs.MaxFileMegabytes} MiB, {logs.MaxArchives} archives kept)"));
        Log.StartupSetting(logger, "callers", CallerKeyMode);
        Log.StartupSetting(logger, "traces", traces.Describe(tracing.Value.CaptureMessageContent));
        if (callers.Value.ApiKeysFile is { } keysFile)
        {
            Log.StartupSetting(logger, "caller keys file", keysFile);
        }

        foreach (var status in new[] { orchestrator.Info, executor.Info })
        {
            if (status.MissingSetting is { } variable)
            {
                Log.KeyMissing(logger, variable, status.Role, status.Provider);
            }
        }
    }
}
