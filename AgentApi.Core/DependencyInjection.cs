using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Configuration;
using AgentApi.Core.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentApi.Core;

public static class DependencyInjection
{
    /// <summary>Registers the ask pipeline, its metrics and its options, validated at start.</summary>
    public static IServiceCollection AddCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<AskOptions>()
            .Configure(options =>
            {
                options.RequestTimeout = Seconds(configuration, EnvironmentVariables.RequestTimeoutSeconds, options.RequestTimeout);
                options.OrchestratorAttemptTimeout = Seconds(configuration, EnvironmentVariables.OrchestratorTimeoutSeconds, options.OrchestratorAttemptTimeout);
                options.ExecutorAttemptTimeout = Seconds(configuration, EnvironmentVariables.ExecutorTimeoutSeconds, options.ExecutorAttemptTimeout);
            })
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, $"{EnvironmentVariables.RequestTimeoutSeconds} must be greater than 0.")
            .Validate(o => o.OrchestratorAttemptTimeout > TimeSpan.Zero, $"{EnvironmentVariables.OrchestratorTimeoutSeconds} must be greater than 0.")
            .Validate(o => o.ExecutorAttemptTimeout > TimeSpan.Zero, $"{EnvironmentVariables.ExecutorTimeoutSeconds} must be greater than 0.")
            .ValidateOnStart();

        services.AddOptions<CacheOptions>()
            .Configure(options =>
            {
                options.Ttl = Seconds(configuration, EnvironmentVariables.CacheTtlSeconds, options.Ttl);
                options.MaxEntries = SettingReader.GetInt32(configuration, EnvironmentVariables.CacheMaxEntries, options.MaxEntries);
            })
            .Validate(o => o.Ttl >= TimeSpan.Zero, $"{EnvironmentVariables.CacheTtlSeconds} must be 0 (no caching) or a positive number of seconds.")
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

        services.AddSingleton<IAskService, AskService>();
        return services;
    }

    private static TimeSpan Seconds(IConfiguration configuration, string name, TimeSpan defaultValue) =>
        TimeSpan.FromSeconds(SettingReader.GetDouble(configuration, name, defaultValue.TotalSeconds));
}
