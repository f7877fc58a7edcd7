using AgentApi.Core.Callers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentApi.Infrastructure.Callers;

/// <summary>
/// Connects the limits' Redis while the host starts: a connection still being made fails commands at once
/// (fail-fast), which would send the first asks to per-replica limits. An unreachable Redis costs at most
/// the connect timeout (1 s) here, and the service starts anyway.
/// </summary>
internal sealed class RedisLimitStoreWarmup([FromKeyedServices(CallerServiceCollectionExtensions.SharedStoreKey)] ICallerLimitStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is RedisLimitStore redis)
        {
            await redis.ConnectAsync().WaitAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
