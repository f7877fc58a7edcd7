namespace AgentApi.Core.Providers;

/// <summary>A function the caller offers the executor (OpenAI's function tool), passed on as given.</summary>
/// <param name="Name">The function's name.</param>
/// <param name="Description">What it does, for the model to choose it; the orchestrator sees it too.</param>
/// <param name="Parameters">The parameters' JSON Schema as JSON text (an object), verbatim; null for none. Only the executor sees it.</param>
/// <param name="Strict">OpenAI's strict schema adherence; null to leave the provider's default.</param>
public sealed record ToolDefinition(string Name, string? Description = null, string? Parameters = null, bool? Strict = null);
