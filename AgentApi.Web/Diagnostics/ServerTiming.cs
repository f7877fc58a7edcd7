using System.Globalization;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// The <c>Server-Timing</c> header (W3C): <c>total</c> on every response; an answered ask adds the
/// <c>orchestrator</c> and <c>executor</c> steps, a cached one <c>cache;desc=hit</c> (or <c>coalesced</c>).
/// </summary>
internal static class ServerTiming
{
    public const string HeaderName = "Server-Timing";

    public static string Format(AskResult? ask, TimeSpan total)
    {
        var totalMs = total.TotalMilliseconds;
        if (ask is null)
        {
            return string.Create(CultureInfo.InvariantCulture, $"total;dur={totalMs:0.0}");
        }

        if (ask.Source != CacheSource.Produced)
        {
            var source = ask.Source == CacheSource.Hit ? "hit" : "coalesced";
            return string.Create(CultureInfo.InvariantCulture, $"cache;desc={source}, total;dur={totalMs:0.0}");
        }

        var answer = ask.Answer;
        var orchestrator = answer.Fallback ? "orchestrator;desc=fallback" : "orchestrator";
        return answer.Orchestrator.DurationMs is { } orchestratorMs
            ? string.Create(CultureInfo.InvariantCulture,
                $"{orchestrator};dur={orchestratorMs:0.0}, executor;dur={answer.Executor.DurationMs ?? 0:0.0}, total;dur={totalMs:0.0}")
            : string.Create(CultureInfo.InvariantCulture,
                $"executor;dur={answer.Executor.DurationMs ?? 0:0.0}, total;dur={totalMs:0.0}");
    }
}
