using AgentApi.Core.Configuration;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Caching;
using AgentApi.Infrastructure.Callers;
using AgentApi.Infrastructure.Providers;
using AgentApi.Infrastructure.Providers.Anthropic;
using AgentApi.Infrastructure.Providers.Gemini;
using AgentApi.Infrastructure.Providers.OpenAI;
using AgentApi.Infrastructure.Providers.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Registers the provider clients (Refit over IHttpClientFactory with Polly) and the HybridCache answer cache.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<OrchestratorOptions, ProviderOptionsValidator<OrchestratorOptions>>(OrchestratorOptions.Section);
        services.AddValidatedOptions<ExecutorOptions, ProviderOptionsValidator<ExecutorOptions>>(ExecutorOptions.Section);
        services.AddValidatedOptions<ResilienceOptions, ResilienceOptionsValidator>(ResilienceOptions.Section);

        services.AddSingleton<ProviderPolicies>();
        services.AddSingleton<ProviderRegistry>();
        AddRoleClient(services, ModelRole.Orchestrator, registry => registry.Orchestrator);
        AddRoleClient(services, ModelRole.Executor, registry => registry.Executor);
        services.AddSingleton<ChatModels>();
        services.AddSingleton<IChatModels>(sp => sp.GetRequiredService<ChatModels>());
        services.AddKeyedSingleton<IChatModel>(ModelRole.Orchestrator, (sp, _) => sp.GetRequiredService<ChatModels>().Find(ModelRole.Orchestrator, sp.GetRequiredService<ProviderRegistry>().Orchestrator.Name));
        services.AddKeyedSingleton<IChatModel>(ModelRole.Executor, (sp, _) => sp.GetRequiredService<ChatModels>().Find(ModelRole.Executor, sp.GetRequiredService<ProviderRegistry>().Executor.Name));

        services.AddAnswerCache(RedisSetting.Read(configuration));
        services.AddSharedCallerLimits(configuration);
        services.AddSingleton<IWarmUpClient, WarmUpClient>();
        return services;
    }

    /// <summary>
    /// One named HttpClient per role, shared by every provider of the role (<see cref="ChatModels"/> gives each its base
    /// address); each handler reads the call's provider from <see cref="ProviderCall.Channel"/>. Handlers, outermost first:
    /// auth header and the provider's headers → Polly (retry → breaker → per-attempt timeout, one pipeline per provider and
    /// model) → attempt counter/logger → warm-up replies (only inside a warm-up ask) → socket. Polly owns every timeout. The
    /// models are singletons that keep their client, so the primary handler recycles its connections itself (DNS changes are
    /// still picked up) instead of the factory rotating handlers. An abandoned answer stream closes its connection at once
    /// (no drain), so the provider stops generating.
    /// </summary>
    private static void AddRoleClient(IServiceCollection services, string role, Func<ProviderRegistry, ProviderChannel> roleChannel)
    {
        services.AddKeyedSingleton(role, (sp, _) => roleChannel(sp.GetRequiredService<ProviderRegistry>()));
        services.AddHttpClient(role, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxResponseDrainSize = 0 })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(sp => new ProviderAuthHandler(sp.GetRequiredKeyedService<ProviderChannel>(role)))
            .AddPolicyHandler((sp, request) => sp.GetRequiredService<ProviderPolicies>().For(request, sp.GetRequiredKeyedService<ProviderChannel>(role)))
            .AddHttpMessageHandler(sp => new ProviderAttemptHandler(
                sp.GetRequiredKeyedService<ProviderChannel>(role),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("AgentApi.Infrastructure.Providers.Http")))
            .AddHttpMessageHandler(sp => new WarmUpReplyHandler(sp.GetRequiredKeyedService<ProviderChannel>(role)));
    }
}
