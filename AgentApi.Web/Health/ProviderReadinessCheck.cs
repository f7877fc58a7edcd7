using AgentApi.Core.Providers;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentApi.Web.Health;

/// <summary>
/// Readiness of this instance for one model: only what this instance can change counts. A missing
/// key is Unhealthy (no ask can succeed here until it is set). An open circuit is the provider's
/// state, shared by every replica: pulling them all from the load balancer would not help, so it is
/// only Degraded, and asks meanwhile go to the route's fallbacks or fail fast with 503 (executor), or go on without a plan
/// (orchestrator). The circuit is the worst of the provider's models (one breaker each).
/// </summary>
internal sealed class ProviderReadinessCheck(IChatModel model) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = ProviderHealth.Of(model);
        var data = new Dictionary<string, object>
        {
            ["provider"] = health.Provider,
            ["model"] = health.Model,
            ["configured"] = health.Configured,
            ["circuit"] = health.Circuit,
        };
        if (health.OpenCircuits.Count > 0)
        {
            data["openCircuits"] = health.OpenCircuits;
        }

        if (health.MissingSetting is { } missing)
        {
            data["missingSetting"] = missing;
        }

        var isExecutor = health.Role == ModelRole.Executor;
        var result = (health.Configured, health.Circuit) switch
        {
            (false, _) => HealthCheckResult.Unhealthy($"Not configured: set {health.MissingSetting}.", data: data),
            (_, "open") when isExecutor => HealthCheckResult.Degraded("Circuit open after repeated failures: asks go to the route's fallbacks, or fail fast with 503, until it closes.", data: data),
            (_, "open") => HealthCheckResult.Degraded("Circuit open after repeated failures: asks are answered without the orchestrator.", data: data),
            (_, "halfOpen") => HealthCheckResult.Degraded("Circuit half-open: the next call is a trial.", data: data),
            _ => HealthCheckResult.Healthy("Configured, circuit closed.", data),
        };
        return Task.FromResult(result);
    }
}
