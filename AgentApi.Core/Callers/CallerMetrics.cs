using System.Collections.Concurrent;
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
    private readonly TimeProvider _timeProvider;

    // By caller name: the day's count of budget tokens, as the limit store answered the caller's last admission.
    private readonly ConcurrentDictionary<string, BudgetUse> _budgets = new(StringComparer.Ordinal);

    public CallerMetrics(IMeterFactory meterFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        var meter = meterFactory.Create(new MeterOptions(AgentApiMetrics.MeterName) { Version = typeof(CallerMetrics).Assembly.GetName().Version?.ToString(3) });
        _refusals = meter.CreateCounter<long>(
            "agentapi.caller.limited", "{request}", "Asks refused with 429, by caller and limit (requests_per_minute, concurrency, tokens_per_day).");
        _tokens = meter.CreateCounter<long>(
            "agentapi.caller.tokens", "{token}", "Provider tokens charged to each caller's budget (cache hits are free).");
        meter.CreateObservableGauge(
            "agentapi.caller.budget.used", ObserveBudgetUsed, "{token}",
            "Tokens each caller has used of today's (UTC) budget, as counted at its last admission (that ask's reservation included); callers with a budget only.");
        meter.CreateObservableGauge(
            "agentapi.caller.budget.limit", ObserveBudgetLimit, "{token}", "Each caller's token budget per UTC day, beside agentapi.caller.budget.used.");
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

    /// <summary>
    /// The day's count of <paramref name="caller"/>'s budget after an admission: the latest count of a keyed caller.
    /// Every client of an open service is <c>anonymous</c>, each with a budget of its own (counted by its address),
    /// so that name shows the highest count of the day, the client nearest its budget.
    /// </summary>
    public void RecordBudget(Caller caller, DateOnly day, long used, long limit)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var highest = caller.Kind == CallerKind.Anonymous;
        _budgets.AddOrUpdate(
            caller.Name,
            static (_, update) => update.Use,
            static (_, old, update) => old.Day > update.Use.Day || (update.Highest && old.Day == update.Use.Day && old.Used > update.Use.Used) ? old with { Limit = update.Use.Limit } : update.Use,
            (Use: new BudgetUse(day, used, limit), Highest: highest));
    }

    private IEnumerable<Measurement<long>> ObserveBudgetUsed()
    {
        // A caller seen on an earlier day has used nothing of today's budget yet.
        var today = DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime);
        foreach (var (name, use) in _budgets)
        {
            yield return new Measurement<long>(use.Day == today ? use.Used : 0, new KeyValuePair<string, object?>("caller", name));
        }
    }

    private IEnumerable<Measurement<long>> ObserveBudgetLimit()
    {
        foreach (var (name, use) in _budgets)
        {
            yield return new Measurement<long>(use.Limit, new KeyValuePair<string, object?>("caller", name));
        }
    }

    private readonly record struct BudgetUse(DateOnly Day, long Used, long Limit);
}
