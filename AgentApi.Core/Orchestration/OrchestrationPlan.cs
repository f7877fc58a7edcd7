namespace AgentApi.Core.Orchestration;

/// <summary>What the orchestrator decided: the route and the focused prompt for the executor.</summary>
/// <param name="Route">The route as the model wrote it (trimmed), or null when it named none; the route table resolves it.</param>
/// <param name="Prompt">The focused prompt.</param>
public sealed record OrchestrationPlan(string? Route, string Prompt);
