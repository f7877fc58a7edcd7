using AgentApi.Core.Ask;

namespace AgentApi.Web.Ask;

/// <summary>The answer and how it was produced.</summary>
/// <example>
/// {
///   "requestId": "0199a0f5c1e27d3b8e4f5a6b7c8d9e0f",
///   "answer": "Paris is the capital of France.",
///   "cached": false,
///   "fallback": false,
///   "fallbackReason": null,
///   "truncated": false,
///   "refusal": null,
///   "route": "general",
///   "refinedPrompt": "Name the capital of France in one sentence.",
///   "orchestrator": { "provider": "gemini", "model": "gemma-3-1b-it", "inputTokens": 212, "outputTokens": 31, "durationMs": 412.5, "attempts": 1 },
///   "executor": { "provider": "openai", "model": "gpt-4o-mini-2024-07-18", "inputTokens": 58, "outputTokens": 9, "durationMs": 633.21, "attempts": 1 },
///   "usage": { "inputTokens": 270, "outputTokens": 40, "totalTokens": 310 },
///   "originalUsage": { "inputTokens": 270, "outputTokens": 40, "totalTokens": 310 },
///   "durationMs": 1052.93
/// }
/// </example>
/// <param name="RequestId">The request's ID, also in the <c>X-Request-ID</c> header.</param>
/// <param name="Answer">The executor's answer.</param>
/// <param name="Cached">True when no provider was called: served from the cache or shared with an identical request in flight.</param>
/// <param name="Fallback">True when the orchestrator failed and the original query was answered directly.</param>
/// <param name="FallbackReason">Why the orchestrator was bypassed; null unless <paramref name="Fallback"/>.</param>
/// <param name="Truncated">True when the answer hit the output token limit and is partial.</param>
/// <param name="Refusal">The executor's refusal to answer (e.g. to fill <c>responseSchema</c>), with <c>answer</c> empty; null when it answered.</param>
/// <param name="Route">The route that answered, a name from <c>GET /api/routes</c>: the orchestrator's choice, or the default route when the choice was unknown or the orchestrator was bypassed (<c>fallback: true</c>).</param>
/// <param name="RefinedPrompt">The prompt the executor answered.</param>
/// <param name="Orchestrator">The orchestrator step.</param>
/// <param name="Executor">The executor step.</param>
/// <param name="Usage">Tokens this request spent, both steps together: none for an answer from the cache (<c>cached: true</c>), so adding up <c>usage</c> over requests gives what they cost.</param>
/// <param name="OriginalUsage">Tokens the answer cost when it was produced (the steps' figures together): the same as <paramref name="Usage"/> unless the answer came from the cache.</param>
/// <param name="DurationMs">Time spent answering this request, in milliseconds.</param>
public sealed record AskResponse(
    string RequestId,
    string Answer,
    bool Cached,
    bool Fallback,
    string? FallbackReason,
    bool Truncated,
    string? Refusal,
    string Route,
    string RefinedPrompt,
    StepResponse Orchestrator,
    StepResponse Executor,
    UsageResponse Usage,
    UsageResponse OriginalUsage,
    double DurationMs)
{
    internal static AskResponse From(AskResult result, string requestId)
    {
        var answer = result.Answer;
        return new AskResponse(
            requestId,
            answer.Answer,
            result.Cached,
            answer.Fallback,
            answer.FallbackReason,
            answer.Truncated,
            answer.Refusal,
            answer.Route,
            answer.RefinedPrompt,
            StepResponse.From(answer.Orchestrator),
            StepResponse.From(answer.Executor),
            UsageResponse.Spent(result),
            UsageResponse.From(answer.Usage),
            Math.Round(result.DurationMs, 2));
    }
}
