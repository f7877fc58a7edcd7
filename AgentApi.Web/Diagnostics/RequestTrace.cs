using System.Diagnostics;
using AgentApi.Core.Caching;
using AgentApi.Core.Callers;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;
using AgentApi.Web.Pipeline;
using Microsoft.AspNetCore.Http.Features;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// A request's trace (docs/tracing.md): its ID, which problem details carry beside the request ID, and what an ask adds
/// to its server span: the caller's name (never a key), the route, the cache's answer, the fallback reason and how the
/// ask ended. Nothing is recorded while nobody traces.
/// </summary>
internal static class RequestTrace
{
    public const string Caller = "agentapi.caller";
    public const string Cache = "agentapi.cache";
    public const string Outcome = "agentapi.outcome";
    public const string RequestId = "agentapi.request_id";
    public const string FinishReason = "agentapi.finish_reason";
    public const string InputTokens = "agentapi.usage.input_tokens";
    public const string OutputTokens = "agentapi.usage.output_tokens";

    /// <summary>The W3C trace ID (32 hex digits) of the request's activity: the incoming <c>traceparent</c>'s, or a new one; null without an activity.</summary>
    public static string? TraceIdOf(HttpContext context) =>
        ServerSpan(context) is { IdFormat: ActivityIdFormat.W3C } activity ? activity.TraceId.ToHexString() : null;

    /// <summary>How an ask ended, on its server span; the span itself ends when the response does, a stream's with its last event.</summary>
    public static void RecordAsk(HttpContext context, Caller caller, AskOutcome outcome)
    {
        if (!AgentApiActivity.IsEnabled || ServerSpan(context) is not { IsAllDataRequested: true } span)
        {
            return;
        }

        span.SetTag(Caller, caller.Name);
        span.SetTag(Outcome, outcome.Ending);
        span.SetTag(InputTokens, (long)outcome.Spent.Orchestrator.Input + outcome.Spent.Executor.Input);
        span.SetTag(OutputTokens, (long)outcome.Spent.Orchestrator.Output + outcome.Spent.Executor.Output);
        if (outcome.Result is not { } result)
        {
            return;
        }

        var answer = result.Answer;
        span.SetTag(Cache, CacheSources.Name(result.Source));
        span.SetTag(AgentApiActivity.Route, answer.Route);
        span.SetTag(FinishReason, FinishReasons.Name(answer.FinishReason));
        if (answer.FallbackReason is { } reason)
        {
            span.SetTag(AgentApiActivity.FallbackReason, reason);
        }
    }

    /// <summary>
    /// A failure the caller was told of: on the server span as on the step that failed. A stream that failed after it started
    /// answered 200, so its span says so here; a failure before the answer is also a 5xx, which the instrumentation marks too.
    /// </summary>
    public static void RecordFailure(HttpContext context, Exception exception)
    {
        if (AgentApiActivity.IsEnabled)
        {
            AgentApiActivity.RecordFailure(ServerSpan(context), exception);
        }
    }

    /// <summary>Every request's server span carries its request ID, so a caller's <c>X-Request-ID</c> finds the trace.</summary>
    public static void Enrich(Activity span, HttpResponse response) => span.SetTag(RequestId, response.HttpContext.TraceIdentifier);

    private static Activity? ServerSpan(HttpContext context) => context.Features.Get<IHttpActivityFeature>()?.Activity;
}
