namespace AgentApi.Web.Health;

/// <summary>Liveness and configuration at a glance.</summary>
/// <param name="Status"><c>ok</c>, or <c>degraded</c> when a provider is unconfigured or its circuit is open.</param>
/// <param name="Version">Service version.</param>
/// <param name="UptimeSeconds">Seconds since start.</param>
/// <param name="Providers">The orchestrator and executor.</param>
public sealed record HealthResponse(string Status, string Version, double UptimeSeconds, IReadOnlyList<ProviderHealth> Providers);
