using AgentApi.Core.Ask;
using AgentApi.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Callers;

public static class CallerServiceCollectionExtensions
{
    /// <summary>The key under which Infrastructure registers the <see cref="ICallerLimitStore"/> replicas share (Redis).</summary>
    public const string SharedStoreKey = "AgentApi.Callers.Shared";

    /// <summary>Caller keys, limits and cache scope from the environment, validated at start; the limiter that enforces them.</summary>
    public static IServiceCollection AddCallers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CallerOptions>()
            .Configure(options =>
            {
                var keys = new List<CallerKey>(CallerKeys.FromList(SettingReader.GetString(configuration, EnvironmentVariables.ApiKeys)));
                if (SettingReader.GetString(configuration, EnvironmentVariables.ApiKeysFile) is { } path)
                {
                    keys.AddRange(CallerKeys.FromFileLines(ReadLines(path)));
                }

                options.Keys = keys;
                options.MetricsRequireKey = GetBoolean(configuration, EnvironmentVariables.MetricsRequireKey, options.MetricsRequireKey);
                options.DocsEnabled = GetBoolean(configuration, EnvironmentVariables.DocsEnabled, options.DocsEnabled);
                options.RequestsPerMinute = SettingReader.GetInt32(configuration, EnvironmentVariables.RateLimitPerMinute, options.RequestsPerMinute);
                options.Concurrency = SettingReader.GetInt32(configuration, EnvironmentVariables.RateLimitConcurrency, options.Concurrency);
                options.TokenBudgetPerDay = SettingReader.GetInt32(configuration, EnvironmentVariables.TokenBudgetPerDay, (int)options.TokenBudgetPerDay);
                options.CacheScope = SettingReader.GetString(configuration, EnvironmentVariables.CacheScope)?.ToLowerInvariant() switch
                {
                    null => null,
                    "caller" => CacheScope.Caller,
                    "global" => CacheScope.Global,
                    _ => throw new InvalidSettingException(EnvironmentVariables.CacheScope, "must be 'caller' or 'global'."),
                };
            })
            .Validate(o => !o.MetricsRequireKey || !o.IsOpen,
                $"{EnvironmentVariables.MetricsRequireKey} needs caller keys: set {EnvironmentVariables.ApiKeys} or {EnvironmentVariables.ApiKeysFile}.")
            .Validate(o => o.RequestsPerMinute >= 0, $"{EnvironmentVariables.RateLimitPerMinute} must be 0 (no limit) or more.")
            .Validate(o => o.Concurrency >= 0, $"{EnvironmentVariables.RateLimitConcurrency} must be 0 (no limit) or more.")
            .Validate(o => o.TokenBudgetPerDay >= 0, $"{EnvironmentVariables.TokenBudgetPerDay} must be 0 (no limit) or more.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CallerMetrics>();
        services.TryAddSingleton<MemoryLimitStore>();
        services.TryAddSingleton<ICallerLimiter>(sp => new CallerLimiter(
            sp.GetRequiredService<IOptions<CallerOptions>>(),
            sp.GetRequiredService<IOptions<AskOptions>>(),
            sp.GetRequiredService<MemoryLimitStore>(),
            sp.GetKeyedService<ICallerLimitStore>(SharedStoreKey),
            sp.GetRequiredService<CallerMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CallerLimiter>>()));
        return services;
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidSettingException(EnvironmentVariables.ApiKeysFile, "must name a readable file of 'name:sha256-hex-of-key' lines.");
        }
    }

    private static bool GetBoolean(IConfiguration configuration, string name, bool defaultValue) =>
        SettingReader.GetString(configuration, name)?.ToLowerInvariant() switch
        {
            null => defaultValue,
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new InvalidSettingException(name, "must be true or false."),
        };
}
