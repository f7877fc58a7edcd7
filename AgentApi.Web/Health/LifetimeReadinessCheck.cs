using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentApi.Web.Health;

/// <summary>Unhealthy once the host begins to stop, so a load balancer drains this instance before it goes.</summary>
internal sealed class LifetimeReadinessCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("Shutting down: finishing the requests in flight.")
            : HealthCheckResult.Healthy("Running."));
}
