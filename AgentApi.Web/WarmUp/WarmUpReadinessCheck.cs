using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.WarmUp;

/// <summary>Unhealthy (readiness 503) until the warm-up has ended, so a load balancer sends no caller to a cold instance.</summary>
internal sealed class WarmUpReadinessCheck(WarmUpState state, IOptions<WarmUpOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var planned = options.Value.Asks;
        var data = new Dictionary<string, object> { ["asks"] = (long)planned, ["sent"] = (long)state.Sent };
        return Task.FromResult(state.Finished
            ? HealthCheckResult.Healthy(state.Outcome, data)
            : HealthCheckResult.Unhealthy($"Warming up: {state.Sent} of {planned} asks sent through the ask path.", data: data));
    }
}
