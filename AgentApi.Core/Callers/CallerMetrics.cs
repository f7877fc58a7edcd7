using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentApi.Core.Diagnostics;

namespace AgentApi.Core.Callers;

/// <summary>
/// Per-caller metrics, on the same <c>AgentApi</c> meter as the rest. The <c>caller</c> label is the caller's
/// name (never the key); an open service labels every caller <c>anonymous</c>, so client addresses never become series.
/// </summary>
public sealed class CallerMetrics
{
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _tokens;

    public CallerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(new MeterOptions(AgentApiMetrics.MeterName) { Version = typeof(CallerMetrics).Assembly.GetName().Version?.ToString(3) });
        _refusals = meter.CreateCounter<long>(
            "agentapi.caller.limited", "{request}", "Asks refused with 429, by caller and limit (requests_per_minute, concurrency, tokens_per_day).");
        _tokens = meter.CreateCounter<long>(
            "agentapi.caller.tokens", "{token}", "Provider tokens charged to each caller's budget (cache hits are free).");
    }

    public static string Label(CallerLimit limit) => limit switch
    {
        CallerLimit.RequestsPerMinute => "requests_per_minute",
        CallerLimit.Concurrency => "concurrency",
        _ => "tokens_per_day",
    };

    public void RecordRefusal(Caller caller, CallerLimit limit) =>
        _refusals.Add(1, new TagList { { "caller", caller.Name }, { "limit", Label(limit) } });

    public void RecordTokens(Caller caller, long tokens)
    {
        if (tokens > 0)
        {
            _tokens.Add(tokens, new KeyValuePair<string, object?>("caller", caller.Name));
        }
    }
}
