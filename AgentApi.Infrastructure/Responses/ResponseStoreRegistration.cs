using AgentApi.Core.Responses;
using AgentApi.Infrastructure.Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Responses;

internal static class ResponseStoreRegistration
{
    /// <summary>Stored responses in the cache tier: the answer cache's fail-safe Redis when configured, else this process's memory.</summary>
    public static IServiceCollection AddResponseStore(this IServiceCollection services, RedisSetting? redis)
    {
        if (redis is null)
        {
            services.AddSingleton<MemoryResponseTier>();
        }

        services.AddSingleton<IResponseStore>(sp => new CachedResponseStore(
            redis is null ? sp.GetRequiredService<MemoryResponseTier>() : sp.GetRequiredService<FailSafeDistributedCache>(),
            sp.GetRequiredService<IOptions<ResponseStoreOptions>>()));
        return services;
    }
}
