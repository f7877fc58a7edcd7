using AgentApi.Core.Configuration;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Caching;
using AgentApi.Infrastructure.Callers;
using AgentApi.Infrastructure.Providers;
using AgentApi.Infrastructure.Providers.Gemini;
using AgentApi.Infrastructure.Providers.OpenAI;
using AgentApi.Infrastructure.Providers.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace AgentApi.Infrastructure;

public static class DependencyInjection
{
    private static readonly RefitSettings GeminiRefitSettings = new(new SystemTextJsonContentSerializer(GeminiJsonContext.Default.Options));
    private static readonly RefitSettings OpenAIRefitSettings = new(new SystemTextJsonContentSerializer(OpenAIJsonContext.Default.Options));

    /// <summary>Registers the provider clients (Refit over IHttpClientFactory with Polly) and the HybridCache answer cache.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<OrchestratorOptions, ProviderOptionsValidator<OrchestratorOptions>>(OrchestratorOptions.Section);
        services.AddValidatedOptions<ExecutorOptions, ProviderOptionsValidator<ExecutorOptions>>(ExecutorOptions.Section);
        services.AddValidatedOptions<ResilienceOptions, ResilienceOptionsValidator>(ResilienceOptions.Section);

        services.AddSingleton<ProviderPolicies>();
        AddProvider(services, ModelRole.Orchestrator, OrchestratorOptions.Channel);
        AddProvider(services, ModelRole.Executor, ExecutorOptions.Channel);

        services.AddAnswerCache(RedisSetting.Read(configuration));
        services.AddSharedCallerLimits(configuration);
        services.AddSingleton<IWarmUpClient, WarmUpClient>();
        return services;
    }

    /// <summary>
    /// One named HttpClient per role with both Refit clients on it (the configured protocol decides which
    /// one the model uses). Handlers, outermost first: auth header → Polly (retry → breaker → per-attempt
    /// timeout) → attempt counter/logger → warm-up replies (only inside a warm-up ask) → socket. Polly owns every timeout. The models are singletons that
    /// keep their Refit client, so the primary handler recycles its connections itself (DNS changes are
    /// still picked up) instead of the factory rotating handlers. An abandoned answer stream closes its
    /// connection at once (no drain), so the provider stops generating.
    /// </summary>
    private static void AddProvider(IServiceCollection services, string role, Func<IServiceProvider, ProviderChannel> channelFactory)
    {
        services.AddKeyedSingleton(role, (sp, _) => channelFactory(sp) with
        {
            CaptureMessageContent = sp.GetRequiredService<IOptions<TracingOptions>>().Value.CaptureMessageContent,
        });
        services.AddHttpClient(role, (sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredKeyedService<ProviderChannel>(role).BaseUrl;
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxResponseDrainSize = 0 })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(sp => new ProviderAuthHandler(sp.GetRequiredKeyedService<ProviderChannel>(role)))
            .AddPolicyHandler((sp, _) => sp.GetRequiredService<ProviderPolicies>().For(sp.GetRequiredKeyedService<ProviderChannel>(role)))
            .AddHttpMessageHandler(sp => new ProviderAttemptHandler(
                sp.GetRequiredKeyedService<ProviderChannel>(role),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("AgentApi.Infrastructure.Providers.Http")))
            .AddHttpMessageHandler(sp => new WarmUpReplyHandler(sp.GetRequiredKeyedService<ProviderChannel>(role)));
        AddRefitClient<IGeminiApi>(services, role, GeminiRefitSettings);
        AddRefitClient<IOpenAIApi>(services, role, OpenAIRefitSettings);

        services.AddKeyedSingleton<IChatModel>(role, (sp, _) =>
        {
            var channel = sp.GetRequiredKeyedService<ProviderChannel>(role);
            var policies = sp.GetRequiredService<ProviderPolicies>();
            IChatModel provider = channel.Protocol == ProviderProtocol.Gemini
                ? new GeminiChatModel(sp.GetRequiredKeyedService<IGeminiApi>(role), channel, policies, sp.GetRequiredService<ILogger<GeminiChatModel>>())
                : new OpenAIChatModel(sp.GetRequiredKeyedService<IOpenAIApi>(role), sp.GetRequiredService<IHttpClientFactory>().CreateClient(role), channel, policies, sp.GetRequiredService<ILogger<OpenAIChatModel>>());
            return ChatModelPipeline.Build(provider, sp.GetRequiredService<AgentApiMetrics>(), sp.GetRequiredService<TimeProvider>());
        });
    }

    /// <summary>
    /// A source-generated Refit client over the role's named HttpClient, keyed by role: both roles may speak
    /// the same protocol. Refit's own AddKeyedRefitClient needs its reflection request builder.
    /// </summary>
    private static void AddRefitClient<T>(IServiceCollection services, string role, RefitSettings settings)
        where T : class =>
        services.AddKeyedSingleton(role, (sp, _) => RestService.ForGenerated<T>(sp.GetRequiredService<IHttpClientFactory>().CreateClient(role), settings));
}
