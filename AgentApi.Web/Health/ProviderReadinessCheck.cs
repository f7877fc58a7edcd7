using AgentApi.Core.Providers;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentApi.Web.Health;

/// <summary>
/// Readiness of this instance for one model: only what this instance can change counts. A missing
/// key is Unhealthy (no ask can succeed here until it is set). An open circuit is the provider's
/// state, shared by every replica: pulling them all from the load balancer would not help, so it is
/// only Degraded, and asks meanwhile fail fast with 503 (executor) or fall back (orchestrator).
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
        if (health.MissingSetting is { } missing)
        {
            data["missingSetting"] = missing;
        }

        var isExecutor = health.Role == ModelRole.Executor;
        var result = (health.Configured, model.Circuit) switch
        {
            (false, _) => HealthCheckResult.Unhealthy($"Not configured: set {health.MissingSetting}.", data: data),
            (_, CircuitState.Open) when isExecutor => HealthCheckResult.Degraded("Circuit open after repeated failures: asks fail fast with 503 until it closes.", data: data),
            (_, CircuitState.Open) => HealthCheckResult.Degraded("Circuit open after repeated failures: asks are answered without the orchestrator.", data: data),
            (_, CircuitState.HalfOpen) => HealthCheckResult.Degraded("Circuit half-open: the next call is a trial.", data: data),
            _ => HealthCheckResult.Healthy("Configured, circuit closed.", data),
        };
        return Task.FromResult(result);
    }
}
