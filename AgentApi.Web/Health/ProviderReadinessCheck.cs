using AgentApi.Core.Providers;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentApi.Web.Health;

/// <summary>
/// Readiness of one model. Both must be configured for any ask to succeed, so a missing key is
/// Unhealthy for either. An open circuit is Unhealthy for the executor (asks fail fast) but only
/// Degraded for the orchestrator, because asks then fall back to the executor and still answer.
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
            (_, CircuitState.Open) when isExecutor => HealthCheckResult.Unhealthy("Circuit open after repeated failures: asks fail until it closes.", data: data),
            (_, CircuitState.Open) => HealthCheckResult.Degraded("Circuit open after repeated failures: asks are answered without the orchestrator.", data: data),
            (_, CircuitState.HalfOpen) => HealthCheckResult.Degraded("Circuit half-open: the next call is a trial.", data: data),
            _ => HealthCheckResult.Healthy("Configured, circuit closed.", data),
        };
        return Task.FromResult(result);
    }
}
