using System.Globalization;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// How the answer was made, in headers, so OpenAI's response shape stays as the SDKs expect it: the route and the model
/// that answered it, where the
/// answer came from, whether the orchestrator was bypassed (and why), and each step's tokens. Durations are in
/// <c>Server-Timing</c>, the request ID in <c>X-Request-ID</c>, as on every response.
/// </summary>
internal static class AskHeaders
{
    public const string Route = "x-agentapi-route";
    public const string ExecutorModel = "x-agentapi-executor-model";
    public const string Cache = "x-agentapi-cache";
    public const string Fallback = "x-agentapi-fallback";
    public const string FallbackReason = "x-agentapi-fallback-reason";
    public const string Usage = "x-agentapi-usage";

    public static void Write(IHeaderDictionary headers, AskResult result)
    {
        var answer = result.Answer;
        headers[Route] = answer.Route;
        headers[ExecutorModel] = answer.Executor.Model;
        headers[Cache] = CacheSources.Name(result.Source);
        headers[Fallback] = answer.Fallback ? "true" : "false";
        if (answer.FallbackReason is { } reason)
        {
            headers[FallbackReason] = reason;
        }

        headers[Usage] = string.Create(CultureInfo.InvariantCulture,
            $"orchestrator;in={answer.Orchestrator.Usage.Input};out={answer.Orchestrator.Usage.Output}, executor;in={answer.Executor.Usage.Input};out={answer.Executor.Usage.Output}");
    }

    /// <summary>The headers a stream can carry, from the events held before it starts: the plan's, and the cache's (a replay is held whole).</summary>
    public static void WriteForStream(IHeaderDictionary headers, IReadOnlyList<AskStreamEvent> held)
    {
        if (held.OfType<AskStreamPlan>().FirstOrDefault() is not { } plan)
        {
            return;
        }

        headers[Route] = plan.Route;
        headers[Fallback] = plan.Fallback ? "true" : "false";
        if (plan.FallbackReason is { } reason)
        {
            headers[FallbackReason] = reason;
        }

        headers[Cache] = held.OfType<AskStreamDone>().FirstOrDefault() is { } done ? CacheSources.Name(done.Result.Source) : CacheSources.Name(CacheSource.Produced);
    }
}
