using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Callers;
using AgentApi.Core.Configuration;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Execution;
using AgentApi.Core.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentApi.Core;

public static class DependencyInjection
{
    /// <summary>Registers the ask pipeline, its metrics and its options, bound from configuration and validated at start.</summary>
    public static IServiceCollection AddCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISettingNames>(EnvironmentFormSettingNames.Instance);

        services.AddValidatedOptions<AskOptions, AskOptionsValidator>(AskOptions.Section);
        services.AddValidatedOptions<CacheOptions, CacheOptionsValidator>(CacheOptions.Section);
        services.AddValidatedOptions<PricingOptions, PricingOptionsValidator>(PricingOptions.Section);

        services.TryAddSingleton<AgentApiMetrics>();
        services.AddSingleton<OrchestrationStep>();
        services.AddSingleton<ExecutionStep>();
        services.AddSingleton<IAskService, AskService>();
        services.AddCallers();
        return services;
    }
}
