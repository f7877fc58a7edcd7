using AgentApi.Core.Ask;
using AgentApi.Core.Routing;

namespace AgentApi.Core.Orchestration;

/// <summary>The orchestration step's outcome: a plan, or why the ask goes on without one.</summary>
/// <param name="Plan">The route and focused prompt; null when the ask falls back to the original query.</param>
/// <param name="Route">The route that answers: the plan's, or the table's default for an unknown choice or a fallback.</param>
/// <param name="Step">What the orchestrator call did.</param>
/// <param name="FallbackReason">Why there is no plan; null when there is one.</param>
public sealed record OrchestrationResult(OrchestrationPlan? Plan, RouteDefinition Route, StepResult Step, string? FallbackReason);
