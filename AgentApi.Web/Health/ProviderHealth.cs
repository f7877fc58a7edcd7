namespace AgentApi.Web.Health;

/// <summary>One provider's configuration and circuit state.</summary>
/// <param name="Role"><c>orchestrator</c> or <c>executor</c>.</param>
/// <param name="Provider">The provider's name: the built-in <c>gemini</c> or <c>openai</c>, or one of the routes file's providers.</param>
/// <param name="Model">The role's model at this provider (its configured one, or the first a route names).</param>
/// <param name="Configured">False when a required setting (an API key) is missing.</param>
/// <param name="MissingSetting">The environment variable to set; null when configured.</param>
/// <param name="Circuit">The worst circuit of the provider's models (one breaker each): <c>closed</c>, <c>open</c> or <c>halfOpen</c>.</param>
/// <param name="Protocol">The wire protocol: <c>openai</c>, <c>gemini</c> or <c>anthropic</c>.</param>
/// <param name="OpenCircuits">The models whose circuit is open or half-open; empty when all are closed.</param>
public sealed record ProviderHealth(
    string Role, string Provider, string Model, bool Configured, string? MissingSetting, string Circuit, string Protocol, IReadOnlyList<string> OpenCircuits)
{
    /// <summary>The one mapping of a model's state, for <c>/healthz</c> and the readiness checks alike.</summary>
    internal static ProviderHealth Of(Core.Providers.IChatModel model)
    {
        var info = model.Info;
        var circuits = model.Circuits;
        var circuit = circuits.Any(c => c.State == Core.Providers.CircuitState.Open) ? "open"
            : circuits.Any(c => c.State == Core.Providers.CircuitState.HalfOpen) ? "halfOpen"
            : "closed";
        return new ProviderHealth(info.Role, info.Provider, info.Model, info.IsConfigured, info.MissingSetting, circuit, info.Protocol,
            [.. circuits.Where(c => c.State != Core.Providers.CircuitState.Closed).Select(c => c.Model)]);
    }
}
