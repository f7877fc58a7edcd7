using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Configuration;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Caching;
using AgentApi.Infrastructure.Providers;
using AgentApi.Infrastructure.Providers.Gemini;
using AgentApi.Infrastructure.Providers.OpenAI;
using AgentApi.Infrastructure.Providers.Resilience;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace AgentApi.Infrastructure;

public static class DependencyInjection
{
    private const string RedisTierKey = "AgentApi.AnswerCache.Redis";
    private const string RedisInstanceName = "agentapi:";
    // Bounds that catch a typo (an extra zero, seconds for milliseconds) at start instead of stalling every failing call.
    private const int MaxRetryDelayMs = 10 * 60 * 1000;
    private const int MaxBreakSeconds = 24 * 3600;
    private static readonly Uri OllamaBaseUrl = new("http://localhost:11434/v1");
    private static readonly RefitSettings GeminiRefitSettings = new(new SystemTextJsonContentSerializer(GeminiJsonContext.Default.Options));
    private static readonly RefitSettings OpenAIRefitSettings = new(new SystemTextJsonContentSerializer(OpenAIJsonContext.Default.Options));

    /// <summary>Registers the provider clients (Refit over IHttpClientFactory with Polly) and the HybridCache answer cache.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        AddOptions(services, configuration);

        services.AddSingleton<ProviderPolicies>();
        AddProvider(services, ModelRole.Orchestrator, OrchestratorChannel);
        AddProvider(services, ModelRole.Executor, ExecutorChannel);

        AddAnswerCache(services, configuration);
        return services;
    }

    /// <summary>
    /// HybridCache over a bounded memory tier and, when <c>REDIS_URL</c> or <c>ConnectionStrings__Redis</c> is
    /// set, a fail-safe Redis tier that replicas share.
    /// </summary>
    private static void AddAnswerCache(IServiceCollection services, IConfiguration configuration)
    {
        // Before AddHybridCache: its AddMemoryCache adds an IMemoryCache only when none is registered yet.
        services.AddSingleton<EntryBoundedMemoryCache>();
        services.AddSingleton<IMemoryCache>(sp => sp.GetRequiredService<EntryBoundedMemoryCache>());

        var redis = RedisSetting(configuration);
        services.AddHybridCache(options =>
            {
                // Keyed, so HybridCache takes the fail-safe wrapper and never an IDistributedCache someone else registers.
                options.DistributedCacheServiceKey = redis is null ? null : RedisTierKey;
            })
            .AddSerializer<AskAnswer, AnswerCacheSerializer>();
        services.AddSingleton<IAnswerCache, HybridAnswerCache>();

        if (redis is not { } setting)
        {
            return;
        }

        services.AddStackExchangeRedisCache(options =>
        {
            options.ConfigurationOptions = RedisConfiguration.Parse(setting.Value, setting.Variable);
            options.InstanceName = RedisInstanceName;
        });
        services.AddOptions<RedisCacheOptions>().ValidateOnStart();
        services.AddSingleton(sp => new FailSafeDistributedCache(
            (IBufferDistributedCache)sp.GetRequiredService<IDistributedCache>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FailSafeDistributedCache>>()));
        services.AddKeyedSingleton<IDistributedCache>(RedisTierKey, (sp, _) => sp.GetRequiredService<FailSafeDistributedCache>());
        services.AddHostedService<RedisWarmupService>();
    }

    /// <summary><c>REDIS_URL</c> wins over <c>ConnectionStrings__Redis</c>; null when neither is set.</summary>
    private static (string Variable, string Value)? RedisSetting(IConfiguration configuration)
    {
        if (SettingReader.GetString(configuration, EnvironmentVariables.RedisUrl) is { } url)
        {
            return (EnvironmentVariables.RedisUrl, url);
        }

        var connectionString = configuration.GetConnectionString("Redis");
        return string.IsNullOrWhiteSpace(connectionString) ? null : (EnvironmentVariables.RedisConnectionString, connectionString.Trim());
    }

    private static void AddOptions(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GemmaOptions>()
            .Configure(options =>
            {
                options.ApiKey = SettingReader.GetString(configuration, EnvironmentVariables.GemmaApiKey);
                options.Model = SettingReader.GetString(configuration, EnvironmentVariables.GemmaModel) ?? options.Model;
                options.Provider = SettingReader.GetString(configuration, EnvironmentVariables.GemmaProvider)?.ToLowerInvariant() ?? options.Provider;
                options.BaseUrl = ProviderSettings.GetUrl(configuration, EnvironmentVariables.GemmaBaseUrl, EnvironmentVariables.GemmaApiKey)
                    ?? (options.Provider == ProviderProtocol.OpenAI ? OllamaBaseUrl : GemmaOptions.GeminiBaseUrl);
            })
            .Validate(o => o.Provider is ProviderProtocol.Gemini or ProviderProtocol.OpenAI,
                $"{EnvironmentVariables.GemmaProvider} must be '{ProviderProtocol.Gemini}' or '{ProviderProtocol.OpenAI}'.")
            .Validate(o => o.Provider != ProviderProtocol.Gemini || !o.Model.Contains('?', StringComparison.Ordinal) && !o.Model.Contains('&', StringComparison.Ordinal) && !o.Model.Contains("..", StringComparison.Ordinal),
                $"{EnvironmentVariables.GemmaModel} must be a model id such as 'gemma-3-1b-it'.")
            .ValidateOnStart();

        services.AddOptions<OpenAIOptions>()
            .Configure(options =>
            {
                options.ApiKey = SettingReader.GetString(configuration, EnvironmentVariables.OpenAIApiKey);
                options.Model = SettingReader.GetString(configuration, EnvironmentVariables.OpenAIModel) ?? options.Model;
                options.BaseUrl = ProviderSettings.GetUrl(configuration, EnvironmentVariables.OpenAIBaseUrl, EnvironmentVariables.OpenAIApiKey) ?? options.BaseUrl;
            })
            .ValidateOnStart();

        services.AddOptions<ResilienceOptions>()
            .Configure(options =>
            {
                options.MaxAttempts = SettingReader.GetInt32(configuration, EnvironmentVariables.RetryMaxAttempts, options.MaxAttempts);
                options.BaseDelay = SettingReader.GetMilliseconds(configuration, EnvironmentVariables.RetryBaseDelayMs, options.BaseDelay);
                options.MaxDelay = SettingReader.GetMilliseconds(configuration, EnvironmentVariables.RetryMaxDelayMs, options.MaxDelay);
                options.BreakerFailureThreshold = SettingReader.GetInt32(configuration, EnvironmentVariables.CircuitBreakerFailures, options.BreakerFailureThreshold);
                options.BreakDuration = SettingReader.GetSeconds(configuration, EnvironmentVariables.CircuitBreakerBreakSeconds, options.BreakDuration);
            })
            .Validate(o => o.MaxAttempts is >= 1 and <= 10, $"{EnvironmentVariables.RetryMaxAttempts} must be between 1 and 10.")
            .Validate(o => IsRetryDelay(o.BaseDelay), RetryDelayRange(EnvironmentVariables.RetryBaseDelayMs))
            .Validate(o => IsRetryDelay(o.MaxDelay), RetryDelayRange(EnvironmentVariables.RetryMaxDelayMs))
            .Validate(o => o.MaxDelay >= o.BaseDelay, $"{EnvironmentVariables.RetryBaseDelayMs} must not be above {EnvironmentVariables.RetryMaxDelayMs}.")
            .Validate(o => o.BreakerFailureThreshold >= 2, $"{EnvironmentVariables.CircuitBreakerFailures} must be 2 or more.")
            .Validate(o => o.BreakDuration > TimeSpan.Zero && o.BreakDuration <= TimeSpan.FromSeconds(MaxBreakSeconds),
                $"{EnvironmentVariables.CircuitBreakerBreakSeconds} must be greater than 0 and at most {MaxBreakSeconds} (one day).")
            .ValidateOnStart();
    }

    private static bool IsRetryDelay(TimeSpan delay) => delay >= TimeSpan.Zero && delay <= TimeSpan.FromMilliseconds(MaxRetryDelayMs);

    private static string RetryDelayRange(string variable) => $"{variable} must be from 0 to {MaxRetryDelayMs} (10 minutes).";

    private static ProviderChannel OrchestratorChannel(IServiceProvider services)
    {
        var gemma = services.GetRequiredService<IOptions<GemmaOptions>>().Value;
        var missing = gemma.Provider == ProviderProtocol.Gemini && gemma.ApiKey is null ? EnvironmentVariables.GemmaApiKey : null;
        var timeout = services.GetRequiredService<IOptions<AskOptions>>().Value.OrchestratorAttemptTimeout;
        return new ProviderChannel(ModelRole.Orchestrator, gemma.Provider, gemma.BaseUrl, gemma.ApiKey, gemma.Model, missing, timeout);
    }

    private static ProviderChannel ExecutorChannel(IServiceProvider services)
    {
        var openAI = services.GetRequiredService<IOptions<OpenAIOptions>>().Value;
        var missing = openAI.ApiKey is null ? EnvironmentVariables.OpenAIApiKey : null;
        var timeout = services.GetRequiredService<IOptions<AskOptions>>().Value.ExecutorAttemptTimeout;
        return new ProviderChannel(ModelRole.Executor, ProviderProtocol.OpenAI, openAI.BaseUrl, openAI.ApiKey, openAI.Model, missing, timeout);
    }

    /// <summary>
    /// One named HttpClient per role with both Refit clients on it (the configured protocol decides which
    /// one the model uses). Handlers, outermost first: auth header → Polly (retry → breaker → per-attempt
    /// timeout) → attempt counter/logger → socket. Polly owns every timeout. The models are singletons that
    /// keep their Refit client, so the primary handler recycles its connections itself (DNS changes are
    /// still picked up) instead of the factory rotating handlers. An abandoned answer stream closes its
    /// connection at once (no drain), so the provider stops generating.
    /// </summary>
    private static void AddProvider(IServiceCollection services, string role, Func<IServiceProvider, ProviderChannel> channelFactory)
    {
        services.AddKeyedSingleton(role, (sp, _) => channelFactory(sp));
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
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("AgentApi.Infrastructure.Providers.Http")));
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
