namespace AgentApi.Web.Ask;

/// <summary>Event <c>plan</c>, first of a stream: what the orchestrator decided.</summary>
/// <example>{ "requestId": "readme-stream-1", "route": "general", "refinedPrompt": "Name the capital of France in one sentence.", "fallback": false, "fallbackReason": null, "cached": false }</example>
/// <param name="RequestId">The request's ID, also in the <c>X-Request-ID</c> header.</param>
/// <param name="Route">The orchestrator's route, or <c>direct</c> on fallback.</param>
/// <param name="RefinedPrompt">The prompt the executor answers.</param>
/// <param name="Fallback">True when the orchestrator was bypassed and the original query is answered directly.</param>
/// <param name="FallbackReason">Why the orchestrator was bypassed; null unless <paramref name="Fallback"/>.</param>
/// <param name="Cached">True when the answer is replayed from the cache or shared with an identical request in flight: no provider is called.</param>
public sealed record AskStreamPlanEvent(string RequestId, string Route, string RefinedPrompt, bool Fallback, string? FallbackReason, bool Cached);
