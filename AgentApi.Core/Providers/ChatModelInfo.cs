namespace AgentApi.Core.Providers;

/// <summary>Who serves a model and whether it can be called. Fixed at start; the circuit is read live from <see cref="IChatModel.Circuit"/>.</summary>
/// <param name="Role">Orchestrator or executor (<see cref="ModelRole"/>).</param>
/// <param name="Provider">The provider's name: the built-in <c>gemini</c> (<c>GEMMA_*</c>) or <c>openai</c> (<c>OPENAI_*</c>), or one of the routes file's table.</param>
/// <param name="Model">Model id sent to the provider.</param>
/// <param name="MissingSetting">The environment variable to set before the model can be called, or null when configured.</param>
public sealed record ChatModelInfo(string Role, string Provider, string Model, string? MissingSetting)
{
    public bool IsConfigured => MissingSetting is null;

    /// <summary>The wire protocol the provider speaks: <c>openai</c>, <c>gemini</c> or <c>anthropic</c>.</summary>
    public string Protocol { get; init; } = Provider;
}
