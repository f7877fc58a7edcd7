using System.ComponentModel;
using AgentApi.Core.Providers;

namespace AgentApi.Core.Ask;

/// <summary>The produced answer to one question: what the cache stores and shares.</summary>
/// <param name="Answer">The executor's answer; empty when it only called tools or refused.</param>
/// <param name="Route">The route that answered: the orchestrator's choice, or the route table's default for an unknown choice and on fallback.</param>
/// <param name="RefinedPrompt">The prompt the executor answered.</param>
/// <param name="Fallback">True when the orchestrator failed and the original query went to the executor.</param>
/// <param name="FallbackReason">Why the orchestrator was bypassed, when <paramref name="Fallback"/> is true.</param>
/// <param name="Truncated">True when the executor hit its output limit and the answer is partial.</param>
/// <param name="Orchestrator">The orchestrator step.</param>
/// <param name="Executor">The executor step.</param>
// Immutable (sealed, and marked so): HybridCache keeps the instance in memory and hands it to every hit
// instead of deserializing a copy per hit.
[ImmutableObject(true)]
public sealed record AskAnswer(
    string Answer,
    string Route,
    string RefinedPrompt,
    bool Fallback,
    string? FallbackReason,
    bool Truncated,
    StepResult Orchestrator,
    StepResult Executor)
{
    /// <summary>The functions the executor called, in order; empty for a text answer. The caller runs them and sends their results.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    /// <summary>The executor's refusal (e.g. under a JSON Schema it would not fill); null when it answered.</summary>
    public string? Refusal { get; init; }

    /// <summary>Why the executor stopped: <see cref="FinishReason.Length"/> when <see cref="Truncated"/>, <see cref="FinishReason.ToolCalls"/> when it called tools.</summary>
    public FinishReason FinishReason { get; init; }

    /// <summary>Tokens of both steps together.</summary>
    public TokenUsage Usage => new(Orchestrator.Usage.Input + Executor.Usage.Input, Orchestrator.Usage.Output + Executor.Usage.Output);

    /// <summary>Degraded answers are served but never cached, so the next ask gets a fresh chance.</summary>
    public bool IsCacheable => !Fallback && !Truncated;
}
