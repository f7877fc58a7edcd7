using AgentApi.Core.Caching;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentApi.Web.Health;

/// <summary>
/// Reports the answer cache's tiers and counters. Always Healthy: the in-memory tier cannot fail,
/// and failures of a distributed tier are survived (counted in <c>distributedErrors</c>).
/// </summary>
internal sealed class CacheReadinessCheck(IAnswerCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stats = cache.GetStatistics();
        var data = new Dictionary<string, object>
        {
            ["tiers"] = stats.Tiers,
            ["entries"] = stats.Entries,
            ["maxEntries"] = stats.MaxEntries,
            ["bytes"] = stats.Bytes,
            ["maxBytes"] = stats.MaxBytes,
            ["hitRatio"] = Math.Round(stats.HitRatio, 4),
            ["distributedErrors"] = stats.DistributedErrors,
        };
        return Task.FromResult(HealthCheckResult.Healthy($"Tiers: {string.Join(", ", stats.Tiers)}.", data));
    }
}
