using System.Globalization;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// How the answer was made, in headers, so OpenAI's response shape stays as the SDKs expect it: the route, the provider and
/// model that answered it (and the models tried before it, each with why it was passed over), where the
/// answer came from, whether the orchestrator was bypassed (and why), and each step's tokens. Durations are in
/// <c>Server-Timing</c>, the request ID in <c>X-Request-ID</c>, as on every response.
/// </summary>
internal static class AskHeaders
{
    public const string Route = "x-agentapi-route";
    public const string ExecutorModel = "x-agentapi-executor-model";
    public const string ExecutorProvider = "x-agentapi-executor-provider";
    public const string ExecutorFallbackFrom = "x-agentapi-executor-fallback-from";
    public const string Cache = "x-agentapi-cache";
    public const string Fallback = "x-agentapi-fallback";
    public const string FallbackReason = "x-agentapi-fallback-reason";
    public const string Usage = "x-agentapi-usage";

    public static void Write(IHeaderDictionary headers, AskResult result)
    {
        var answer = result.Answer;
        headers[Route] = answer.Route;
        WriteExecutor(headers, answer.Executor.Provider, answer.Executor.Model, answer.Executor.FallbackFrom);
        headers[Cache] = CacheSources.Name(result.Source);
        headers[Fallback] = answer.Fallback ? "true" : "false";
        if (answer.FallbackReason is { } reason)
        {
            headers[FallbackReason] = reason;
        }

        headers[Usage] = string.Create(CultureInfo.InvariantCulture,
            $"orchestrator;in={answer.Orchestrator.Usage.Input};out={answer.Orchestrator.Usage.Output}, executor;in={answer.Executor.Usage.Input};out={answer.Executor.Usage.Output}");
    }

    /// <summary>Who answered, and the models tried before it: <c>provider/model;reason=…;attempts=…</c> each, in order (a list like Server-Timing's).</summary>
    public static void WriteExecutor(IHeaderDictionary headers, string provider, string model, IReadOnlyList<FallbackAttempt> fallbackFrom)
    {
        headers[ExecutorModel] = model;
        headers[ExecutorProvider] = provider;
        if (fallbackFrom.Count > 0)
        {
            headers[ExecutorFallbackFrom] = string.Join(", ", fallbackFrom.Select(passed =>
                string.Create(CultureInfo.InvariantCulture, $"{passed.Provider}/{passed.Model};reason={passed.Reason};attempts={passed.Attempts}")));
        }
    }
}
