using System.Globalization;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// The <c>Server-Timing</c> header (W3C): <c>total</c> on every response; an answered ask adds the
/// <c>orchestrator</c> and <c>executor</c> steps, a cached one <c>cache;desc=hit</c> (or <c>coalesced</c>).
/// A stream's header leaves when its first text does, so it says so: <c>first-text</c>, not <c>total</c>.
/// </summary>
internal static class ServerTiming
{
    public const string HeaderName = "Server-Timing";

    public static string Total(TimeSpan total) => string.Create(CultureInfo.InvariantCulture, $"total;dur={total.TotalMilliseconds:0.0}");

    public static string Format(AskResult ask, TimeSpan total)
    {
        var totalMs = total.TotalMilliseconds;
        if (ask.Source != CacheSource.Produced)
        {
            return string.Create(CultureInfo.InvariantCulture, $"cache;desc={CacheSources.Name(ask.Source)}, total;dur={totalMs:0.0}");
        }

        var answer = ask.Answer;
        var orchestrator = answer.Fallback ? "orchestrator;desc=fallback" : "orchestrator";
        return answer.Orchestrator.DurationMs is { } orchestratorMs
            ? string.Create(CultureInfo.InvariantCulture,
                $"{orchestrator};dur={orchestratorMs:0.0}, executor;dur={answer.Executor.DurationMs ?? 0:0.0}, total;dur={totalMs:0.0}")
            : string.Create(CultureInfo.InvariantCulture,
                $"executor;dur={answer.Executor.DurationMs ?? 0:0.0}, total;dur={totalMs:0.0}");
    }

    /// <summary>A stream's, sent with its first text: the orchestrator's time, and the time until the first text.</summary>
    public static string FormatStreamStart(AskStreamPlan? plan, CacheSource? replayed, TimeSpan untilFirstText)
    {
        var firstMs = untilFirstText.TotalMilliseconds;
        return plan switch
        {
            { Cached: true } => string.Create(CultureInfo.InvariantCulture,
                $"cache;desc={CacheSources.Name(replayed ?? CacheSource.Hit)}, first-text;desc=\"until the first text\";dur={firstMs:0.0}"),
            { Orchestrator.DurationMs: { } orchestratorMs } => string.Create(CultureInfo.InvariantCulture,
                $"{(plan.Fallback ? "orchestrator;desc=fallback" : "orchestrator")};dur={orchestratorMs:0.0}, first-text;desc=\"until the first text\";dur={firstMs:0.0}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"first-text;desc=\"until the first text\";dur={firstMs:0.0}"),
        };
    }
}
