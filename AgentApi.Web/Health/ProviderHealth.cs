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
    /// <summary>The one mapping of a model's state, for <c>/healthz</c> and the readiness checks alike.</summary>
    internal static ProviderHealth Of(Core.Providers.IChatModel model)
    {
        var info = model.Info;
        var circuit = model.Circuit switch
        {
            Core.Providers.CircuitState.Open => "open",
            Core.Providers.CircuitState.HalfOpen => "halfOpen",
            _ => "closed",
        };
        return new ProviderHealth(info.Role, info.Provider, info.Model, info.IsConfigured, info.MissingSetting, circuit);
    }
}
