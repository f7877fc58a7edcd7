namespace AgentApi.Core.Orchestration;

/// <summary>What the orchestrator decided: the route and the focused prompt for the executor.</summary>
public sealed record OrchestrationPlan(string Route, string Prompt);
