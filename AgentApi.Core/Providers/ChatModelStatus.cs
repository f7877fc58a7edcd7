namespace AgentApi.Core.Providers;

/// <summary>A snapshot of a model's configuration and circuit state.</summary>
/// <param name="Role">Orchestrator or executor (<see cref="ModelRole"/>).</param>
/// <param name="Provider">Wire protocol: <c>gemini</c> or <c>openai</c>.</param>
/// <param name="Model">Model id sent to the provider.</param>
/// <param name="MissingSetting">The environment variable to set before the model can be called, or null when configured.</param>
/// <param name="Circuit">State of the provider's circuit breaker.</param>
public sealed record ChatModelStatus(string Role, string Provider, string Model, string? MissingSetting, CircuitState Circuit)
{
    public bool IsConfigured => MissingSetting is null;
}
