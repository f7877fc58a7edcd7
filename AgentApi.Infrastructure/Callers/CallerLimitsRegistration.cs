using AgentApi.Core.Callers;
using AgentApi.Core.Configuration;
using AgentApi.Infrastructure.Caching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentApi.Infrastructure.Callers;

internal static class CallerLimitsRegistration
{
    /// <summary>With Redis configured, caller limits are counted in the same Redis as the cache.</summary>
    public static IServiceCollection AddSharedCallerLimits(this IServiceCollection services, IConfiguration configuration)
    {
        if (RedisSetting.Read(configuration) is { } setting)
        {
            services.AddKeyedSingleton<ICallerLimitStore>(CallerServiceCollectionExtensions.SharedStoreKey,
                (sp, _) => new RedisLimitStore(RedisConfiguration.Parse(setting.Value, sp.GetRequiredService<ISettingNames>().NameOf(setting.Key))));
            services.AddHostedService<RedisLimitStoreWarmup>();
        }

        return services;
    }
}
