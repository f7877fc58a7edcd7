using AgentApi.Core.Callers;
using AgentApi.Infrastructure.Caching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentApi.Infrastructure.Callers;

internal static class CallerLimitsRegistration
{
    /// <summary>With <c>REDIS_URL</c> (or <c>ConnectionStrings__Redis</c>) set, caller limits are counted in the same Redis as the cache.</summary>
    public static IServiceCollection AddSharedCallerLimits(this IServiceCollection services, IConfiguration configuration)
    {
        if (DependencyInjection.RedisSetting(configuration) is { } setting)
        {
            var options = RedisConfiguration.Parse(setting.Value, setting.Variable);
            services.AddKeyedSingleton<ICallerLimitStore>(CallerServiceCollectionExtensions.SharedStoreKey, (_, _) => new RedisLimitStore(options));
            services.AddHostedService<RedisLimitStoreWarmup>();
        }

        return services;
    }
}
