using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Callers;
using AgentApi.Core.Configuration;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Execution;
using AgentApi.Core.Orchestration;
using AgentApi.Core.Responses;
using AgentApi.Core.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentApi.Core;

public static class DependencyInjection
{
    /// <summary>Registers the ask pipeline, its route table, its metrics and its options, bound from configuration and validated at start.</summary>
    public static IServiceCollection AddCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISettingNames>(EnvironmentFormSettingNames.Instance);
        services.TryAddSingleton<ISettingPaths>(WorkingDirectorySettingPaths.Instance);

        services.AddValidatedOptions<AskOptions, AskOptionsValidator>(AskOptions.Section);
        services.AddValidatedOptions<CacheOptions, CacheOptionsValidator>(CacheOptions.Section);
        services.AddValidatedOptions<PricingOptions, PricingOptionsValidator>(PricingOptions.Section);
        services.AddValidatedOptions<ResponseStoreOptions, ResponseStoreOptionsValidator>(ResponseStoreOptions.Section);
        services.AddOptions<TracingOptions>().BindConfiguration(TracingOptions.Section);

        services.TryAddSingleton<AgentApiMetrics>();

        // Read at start (ValidateOnStart resolves it): a broken file stops start-up before the host runs, with one message.
        services.AddOptions<RouteTableOptions>()
            .BindConfiguration(RouteTableOptions.Section)
            .PostConfigure<ISettingNames, ISettingPaths>((options, names, paths) =>
            {
                options.File = string.IsNullOrWhiteSpace(options.File) ? null : paths.Resolve(options.File.Trim());
                options.Table = RouteTableLoader.Load(options.File, names.NameOf(ConfigurationPath.Combine(RouteTableOptions.Section, nameof(RouteTableOptions.File))));
            })
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RouteTableOptions>>().Value.Table!);
        services.AddSingleton<OrchestrationStep>();
        services.AddSingleton<ExecutionStep>();
        services.AddSingleton<IAskService, AskService>();
        services.AddCallers();
        return services;
    }
}
