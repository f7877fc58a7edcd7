using AgentApi.Core.Providers;

namespace AgentApi.Core.Ask;

/// <summary>
/// One event of a streamed ask (<see cref="IAskService.StreamAsync"/>), in this order: one <see cref="AskStreamPlan"/>,
/// one <see cref="AskStreamAnswering"/> (not on a cached replay), pieces of the answer (<see cref="AskStreamDelta"/> for text, <see cref="AskStreamToolCallDelta"/> for tool calls,
/// <see cref="AskStreamRefusalDelta"/> for a refusal), one <see cref="AskStreamDone"/>. A failure is an exception, never an event.
/// </summary>
public abstract record AskStreamEvent;

/// <summary>What the orchestrator decided (or why it was bypassed); on a cache hit, the cached plan.</summary>
/// <param name="Route">The route that answers: the plan's, or the route table's default on fallback or an unknown choice.</param>
/// <param name="RefinedPrompt">The prompt the executor answers.</param>
/// <param name="Fallback">True when the orchestrator was bypassed.</param>
/// <param name="FallbackReason">Why, when <paramref name="Fallback"/>.</param>
/// <param name="Orchestrator">The orchestrator step.</param>
/// <param name="Cached">True when the answer comes from the cache or an identical ask in flight: no provider is called for this ask.</param>
public sealed record AskStreamPlan(string Route, string RefinedPrompt, bool Fallback, string? FallbackReason, StepResult Orchestrator, bool Cached) : AskStreamEvent;

/// <summary>Text of the answer as the executor writes it; all deltas joined are the answer.</summary>
public sealed record AskStreamDelta(string Text) : AskStreamEvent;

/// <summary>The stream completed: the whole answer with its usage, durations and source.</summary>
public sealed record AskStreamDone(AskResult Result) : AskStreamEvent;

/// <summary>A piece of a tool call as the executor writes it: the first piece of a call has its id and name, the others pieces of its arguments.</summary>
public sealed record AskStreamToolCallDelta(ToolCallDelta Call) : AskStreamEvent;

/// <summary>A piece of the executor's refusal.</summary>
public sealed record AskStreamRefusalDelta(string Text) : AskStreamEvent;

/// <summary>
/// The executor's model began to answer, just before its first piece: who answers, and the models tried before it. Not sent
/// for a cached replay (its <see cref="AskStreamDone"/> says the same).
/// </summary>
/// <param name="Provider">The provider that answers.</param>
/// <param name="Model">The model id asked.</param>
/// <param name="FallbackFrom">The models that failed before it, in order; empty when the first answers.</param>
public sealed record AskStreamAnswering(string Provider, string Model, IReadOnlyList<FallbackAttempt> FallbackFrom) : AskStreamEvent;
