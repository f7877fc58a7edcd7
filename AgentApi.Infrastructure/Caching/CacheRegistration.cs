using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Configuration;
using AgentApi.Core.Routing;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;

namespace AgentApi.Infrastructure.Caching;

internal static class CacheRegistration
{
    private const string RedisTierKey = "AgentApi.AnswerCache.Redis";

    /// <summary>HybridCache over a bounded memory tier and, when Redis is configured, a fail-safe Redis tier that replicas share.</summary>
    public static IServiceCollection AddAnswerCache(this IServiceCollection services, RedisSetting? redis)
    {
        // Before AddHybridCache: its AddMemoryCache adds an IMemoryCache only when none is registered yet.
        services.AddSingleton<EntryBoundedMemoryCache>();
        services.AddSingleton<IMemoryCache>(sp => sp.GetRequiredService<EntryBoundedMemoryCache>());

        // Keyed, so HybridCache takes the fail-safe wrapper and never an IDistributedCache someone else registers.
        services.AddHybridCache(options => options.DistributedCacheServiceKey = redis is null ? null : RedisTierKey)
            .AddSerializer<AskAnswer, AnswerCacheSerializer>();
        services.AddSingleton<IAnswerCache, HybridAnswerCache>();
        services.AddSingleton<IToolCallRoutes, HybridToolCallRoutes>();
        if (redis is null)
        {
            return services;
        }

        services.AddStackExchangeRedisCache(_ => { });
        services.AddOptions<RedisCacheOptions>().Configure<ISettingNames>(redis.Configure).ValidateOnStart();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<FailSafeDistributedCache>(sp, (IBufferDistributedCache)sp.GetRequiredService<IDistributedCache>()));
        services.AddKeyedSingleton<IDistributedCache>(RedisTierKey, (sp, _) => sp.GetRequiredService<FailSafeDistributedCache>());
        services.AddHostedService<RedisWarmupService>();
        return services;
    }
}
