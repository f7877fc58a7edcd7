using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Configuration;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Execution;
using AgentApi.Core.Orchestration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentApi.Core;

public static class DependencyInjection
{
    // Bounds that catch a typo (an extra zero, milliseconds for seconds) at start, not on every ask:
    // CancellationTokenSource cannot wait past about 49.7 days, so a larger deadline failed every ask.
    private const int MaxTimeoutSeconds = 3600;
    private const int MaxCacheTtlSeconds = 365 * 24 * 3600;
    private const int MaxHistoryChars = 1_000_000;

    /// <summary>Registers the ask pipeline, its metrics and its options, validated at start.</summary>
    public static IServiceCollection AddCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<AskOptions>()
            .Configure(options =>
            {
                options.RequestTimeout = SettingReader.GetSeconds(configuration, EnvironmentVariables.RequestTimeoutSeconds, options.RequestTimeout);
                options.OrchestratorAttemptTimeout = SettingReader.GetSeconds(configuration, EnvironmentVariables.OrchestratorTimeoutSeconds, options.OrchestratorAttemptTimeout);
                options.ExecutorAttemptTimeout = SettingReader.GetSeconds(configuration, EnvironmentVariables.ExecutorTimeoutSeconds, options.ExecutorAttemptTimeout);
                options.OrchestratorHistoryChars = SettingReader.GetInt32(configuration, EnvironmentVariables.OrchestratorHistoryChars, options.OrchestratorHistoryChars);
                options.ExecutorHistoryChars = SettingReader.GetInt32(configuration, EnvironmentVariables.ExecutorHistoryChars, options.ExecutorHistoryChars);
            })
            .Validate(o => IsTimeout(o.RequestTimeout), TimeoutRange(EnvironmentVariables.RequestTimeoutSeconds))
            .Validate(o => IsTimeout(o.OrchestratorAttemptTimeout), TimeoutRange(EnvironmentVariables.OrchestratorTimeoutSeconds))
            .Validate(o => IsTimeout(o.ExecutorAttemptTimeout), TimeoutRange(EnvironmentVariables.ExecutorTimeoutSeconds))
            .Validate(o => o.OrchestratorHistoryChars is >= 0 and <= MaxHistoryChars, HistoryRange(EnvironmentVariables.OrchestratorHistoryChars))
            .Validate(o => o.ExecutorHistoryChars is >= 0 and <= MaxHistoryChars, HistoryRange(EnvironmentVariables.ExecutorHistoryChars))
            .ValidateOnStart();

        services.AddOptions<CacheOptions>()
            .Configure(options =>
            {
                options.Ttl = SettingReader.GetSeconds(configuration, EnvironmentVariables.CacheTtlSeconds, options.Ttl);
                options.MaxEntries = SettingReader.GetInt32(configuration, EnvironmentVariables.CacheMaxEntries, options.MaxEntries);
            })
            .Validate(o => o.Ttl >= TimeSpan.Zero && o.Ttl <= TimeSpan.FromSeconds(MaxCacheTtlSeconds),
                $"{EnvironmentVariables.CacheTtlSeconds} must be from 0 (no caching) to {MaxCacheTtlSeconds} (365 days).")
            .Validate(o => o.MaxEntries > 0, $"{EnvironmentVariables.CacheMaxEntries} must be greater than 0.")
            .ValidateOnStart();

        services.AddOptions<PricingOptions>()
            .Configure(options =>
            {
                if (SettingReader.GetString(configuration, EnvironmentVariables.PriceTable) is { } table)
                {
                    foreach (var (model, price) in PriceTable.Parse(table))
                    {
                        options.Prices[model] = price;
                    }
                }
            })
            .ValidateOnStart();
        services.TryAddSingleton<AgentApiMetrics>();

        services.AddSingleton<OrchestrationStep>();
        services.AddSingleton<ExecutionStep>();
        services.AddSingleton<IAskService, AskService>();
        return services;
    }

    private static bool IsTimeout(TimeSpan timeout) => timeout > TimeSpan.Zero && timeout <= TimeSpan.FromSeconds(MaxTimeoutSeconds);

    private static string HistoryRange(string variable) => $"{variable} must be from 0 (no earlier turns) to {MaxHistoryChars}.";

    private static string TimeoutRange(string variable) => $"{variable} must be greater than 0 and at most {MaxTimeoutSeconds} (one hour).";
}
