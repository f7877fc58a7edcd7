namespace AgentApi.Web.Health;

/// <summary>One provider's configuration and circuit state.</summary>
/// <param name="Role"><c>orchestrator</c> or <c>executor</c>.</param>
/// <param name="Provider"><c>gemini</c> or <c>openai</c>.</param>
/// <param name="Model">Model id.</param>
/// <param name="Configured">False when a required setting (an API key) is missing.</param>
/// <param name="MissingSetting">The environment variable to set; null when configured.</param>
/// <param name="Circuit"><c>closed</c>, <c>open</c> or <c>halfOpen</c>.</param>
public sealed record ProviderHealth(string Role, string Provider, string Model, bool Configured, string? MissingSetting, string Circuit)
{
    /// <summary>How a circuit state is written in health responses.</summary>
    internal static string CircuitName(Core.Providers.CircuitState state) => state switch
    {
        Core.Providers.CircuitState.Open => "open",
        Core.Providers.CircuitState.HalfOpen => "halfOpen",
        _ => "closed",
    };
}
