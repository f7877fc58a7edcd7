using AgentApi.Core.Caching;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Caching;

/// <summary>
/// Opens the Redis connection in the background at start, so its connect (up to 1 s when Redis is
/// unreachable) does not land on the first ask. A failure is counted and logged like any other.
/// </summary>
internal sealed class RedisWarmupService(
    FailSafeDistributedCache redis,
    IOptions<RedisCacheOptions> redisOptions,
    IOptions<CacheOptions> cacheOptions,
    ILogger<RedisWarmupService> logger) : BackgroundService
{
    private const string ProbeKey = "warmup";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connection = redisOptions.Value.ConfigurationOptions!;
        Log.RedisTierConfigured(
            logger,
            cacheOptions.Value.MaxEntries,
            cacheOptions.Value.Ttl.TotalSeconds,
            RedisConfiguration.DescribeEndpoints(connection),
            connection.Ssl);
        await redis.GetAsync(ProbeKey, stoppingToken);
    }
}
