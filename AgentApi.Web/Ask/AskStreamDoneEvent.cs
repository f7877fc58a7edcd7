using AgentApi.Core.Ask;

namespace AgentApi.Web.Ask;

/// <summary>Event <c>done</c>, last of a stream that completed: the answer is whole. A stream without it is incomplete.</summary>
/// <example>
/// {
///   "requestId": "readme-stream-1",
///   "cached": false,
///   "fallback": false,
///   "fallbackReason": null,
///   "truncated": false,
///   "finishReason": "stop",
///   "refusal": null,
///   "route": "general",
///   "orchestrator": { "provider": "gemini", "model": "gemma-3-1b-it", "inputTokens": 212, "outputTokens": 31, "durationMs": 412.5, "attempts": 1 },
///   "executor": { "provider": "openai", "model": "gpt-4o-mini-2024-07-18", "inputTokens": 58, "outputTokens": 9, "durationMs": 633.21, "attempts": 1 },
///   "usage": { "inputTokens": 270, "outputTokens": 40, "totalTokens": 310 },
///   "originalUsage": { "inputTokens": 270, "outputTokens": 40, "totalTokens": 310 },
///   "durationMs": 1052.93
/// }
/// </example>
/// <param name="RequestId">The request's ID, also in the <c>X-Request-ID</c> header.</param>
/// <param name="Cached">True when no provider was called for this request.</param>
/// <param name="Fallback">True when the orchestrator was bypassed.</param>
/// <param name="FallbackReason">Why the orchestrator was bypassed; null unless <paramref name="Fallback"/>.</param>
/// <param name="Truncated">True when the answer hit the output token limit and is partial.</param>
/// <param name="FinishReason">Why the executor stopped: <c>stop</c>, or <c>length</c> when <paramref name="Truncated"/>.</param>
/// <param name="Refusal">The executor's refusal to answer, when it refused (the stream then has no text); null when it answered.</param>
/// <param name="Route">The route the answer took.</param>
/// <param name="Orchestrator">The orchestrator step.</param>
/// <param name="Executor">The executor step; its tokens come from the stream's final usage chunk.</param>
/// <param name="Usage">Tokens this request spent, both steps together: none for a cached answer.</param>
/// <param name="OriginalUsage">Tokens the answer cost when it was produced: the same as <paramref name="Usage"/> unless it came from the cache.</param>
/// <param name="DurationMs">Time spent on this request until the answer was complete, in milliseconds.</param>
public sealed record AskStreamDoneEvent(
    string RequestId,
    bool Cached,
    bool Fallback,
    string? FallbackReason,
    bool Truncated,
    string FinishReason,
    string? Refusal,
    string Route,
    StepResponse Orchestrator,
    StepResponse Executor,
    UsageResponse Usage,
    UsageResponse OriginalUsage,
    double DurationMs)
{
    internal static AskStreamDoneEvent From(AskResult result, string requestId)
    {
        var response = AskResponse.From(result, requestId);
        return new AskStreamDoneEvent(
            requestId,
            response.Cached,
            response.Fallback,
            response.FallbackReason,
            response.Truncated,
            Core.Providers.FinishReasons.Name(result.Answer.FinishReason),
            response.Refusal,
            response.Route,
            response.Orchestrator,
            response.Executor,
            response.Usage,
            response.OriginalUsage,
            response.DurationMs);
    }
}
