using AgentApi.Core.Caching;
using AgentApi.Core.Callers;
using AgentApi.Core.Providers;
using AgentApi.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace AgentApi.Web.Health;

/// <summary>Health of the service, its providers and its cache.</summary>
[ApiController]
[Route("healthz")]
[Tags("Health")]
public sealed class HealthController : ControllerBase
{
    /// <summary>Liveness, version, uptime and provider configuration.</summary>
    /// <remarks>Always 200 while the process serves requests; <c>status</c> is <c>degraded</c> when a provider is unconfigured or paused.</remarks>
    /// <response code="200">The service is up; <c>status</c> says whether both providers can be called.</response>
    [HttpGet(Name = "GetHealth")]
    [ProducesResponseType<HealthResponse>(StatusCodes.Status200OK)]
    public HealthResponse GetHealth(
        [FromServices] IChatModels models,
        [FromServices] ServiceInfo service,
        [FromServices] ICallerLimiter limiter)
    {
        ProviderHealth[] providers = [.. models.All.Select(ProviderHealth.Of)];
        var degraded = providers.Any(p => !p.Configured || p.Circuit != "closed");
        var limits = limiter.Status;
        return new HealthResponse(degraded ? "degraded" : "ok", service.Version, Math.Round(service.Uptime.TotalSeconds, 1), providers,
            new LimitsHealth(limits.Store, limits.Shared, limits.Fallback));
    }

    /// <summary>Answer cache statistics.</summary>
    /// <response code="200">Counters since start and the cache's bounds.</response>
    [HttpGet("cache", Name = "GetCacheHealth")]
    [ProducesResponseType<CacheHealthResponse>(StatusCodes.Status200OK)]
    public CacheHealthResponse GetCacheHealth([FromServices] IAnswerCache cache)
    {
        var stats = cache.GetStatistics();
        return new CacheHealthResponse(
            stats.Hits, stats.Misses, stats.Coalesced, Math.Round(stats.HitRatio, 4), stats.Entries, stats.MaxEntries,
            stats.Evictions, stats.Ttl.TotalSeconds, stats.Tiers, stats.DistributedErrors, stats.Bytes, stats.MaxBytes);
    }
}
