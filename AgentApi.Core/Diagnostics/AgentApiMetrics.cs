using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentApi.Core.Caching;
using AgentApi.Core.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Diagnostics;

/// <summary>
/// Every AgentApi metric but the HTTP request duration (Web records that), on one <see cref="Meter"/> named <c>AgentApi</c>; docs/operating.md lists them
/// with their Prometheus names. Recording allocates nothing: tags go through <see cref="TagList"/>
/// (inline up to eight) and their values are strings the caller already holds. The asks an instance sends itself
/// while it warms up are recorded with <c>origin="warm-up"</c> (<see cref="AddOrigin"/>).
/// </summary>
public sealed class AgentApiMetrics
{
    public const string MeterName = "AgentApi";

    private const string TrueValue = "true";
    private const string FalseValue = "false";

    // Seconds. Cache hits answer in a millisecond, LLM calls in seconds, retries and timeouts in tens of seconds.
    /// <summary>Histogram buckets in seconds, shared with the HTTP request metric.</summary>
    public static IReadOnlyList<double> DurationBuckets { get; } = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];

    private static readonly KeyValuePair<string, object?> HitTag = new("result", "hit");
    private static readonly KeyValuePair<string, object?> MissTag = new("result", "miss");
    private static readonly KeyValuePair<string, object?> CoalescedTag = new("result", "coalesced");

    private readonly Histogram<double> _providerDuration;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _tokens;
    private readonly Counter<double> _cost;
    private readonly Counter<long> _asks;
    private readonly Counter<long> _routeTokens;
    private readonly Counter<double> _routeCost;
    private readonly Counter<long> _fallbacks;
    private readonly PricingOptions _pricing;
    private readonly IServiceProvider _services;
    private IReadOnlyList<IChatModel>? _models;

    /// <param name="meterFactory">Owns the meter's lifetime (one per service provider).</param>
    /// <param name="pricing">Prices for the estimated cost.</param>
    /// <param name="services">
    /// Source of the observed state (cache statistics, circuit states), resolved at the first scrape:
    /// the providers' resilience pipeline records into this class, so taking the models in the
    /// constructor would be a dependency cycle.
    /// </param>
    public AgentApiMetrics(IMeterFactory meterFactory, IOptions<PricingOptions> pricing, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(pricing);
        _pricing = pricing.Value;
        _services = services;

        var meter = meterFactory.Create(new MeterOptions(MeterName) { Version = typeof(AgentApiMetrics).Assembly.GetName().Version?.ToString(3) });
        var durationAdvice = new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets };

        _providerDuration = meter.CreateHistogram<double>(
            "agentapi.provider.duration", "s", "Provider call duration including retries, by role, provider, model and outcome.", tags: null, durationAdvice);
        _retries = meter.CreateCounter<long>(
            "agentapi.provider.retries", "{retry}", "Provider attempts retried, by role, provider, model and the reason (HTTP status or exception).");
        _tokens = meter.CreateCounter<long>(
            "agentapi.tokens", "{token}", "Tokens the providers reported, by role, provider, model and type (input or output).");
        _cost = meter.CreateCounter<double>(
            "agentapi.cost.usd", "{USD}", "Estimated provider cost in US dollars from the price table, by role, provider and model.");

        _asks = meter.CreateCounter<long>(
            "agentapi.asks", "{ask}", "Asks answered, by route (from the route table), whether the answer came from the cache, and why the executor stopped (finish_reason: stop, length or tool_calls).");
        _routeTokens = meter.CreateCounter<long>(
            "agentapi.route.tokens", "{token}", "Tokens that asks on each route used, orchestrator and executor together, by route and type (input or output).");
        _routeCost = meter.CreateCounter<double>(
            "agentapi.route.cost.usd", "{USD}", "Estimated cost in US dollars of the asks on each route, orchestrator and executor together, by route.");

        _fallbacks = meter.CreateCounter<long>(
            "agentapi.fallbacks", "{fallback}", "Executor calls passed on to a route's next model, by route, from and to (provider/model) and the reason (the failure's outcome).");

        meter.CreateObservableGauge(
            "agentapi.circuit.state", ObserveCircuits, unit: null, "Circuit breaker state per provider and model: 0 closed, 1 half-open, 2 open.");
        meter.CreateObservableCounter(
            "agentapi.cache.lookups", ObserveCacheLookups, "{lookup}", "Answer cache lookups by result: hit, miss (the providers were called) or coalesced (joined an identical ask in flight).");
        meter.CreateObservableGauge(
            "agentapi.cache.entries", () => Cache.GetStatistics().Entries, "{entry}", "Answers held in the in-memory cache tier.");
    }

    private IAnswerCache Cache => _services.GetRequiredService<IAnswerCache>();

    /// <summary>One call to <paramref name="model"/>, retries included; <paramref name="outcome"/> is a <see cref="ProviderOutcome"/>.</summary>
    public void RecordProviderCall(string role, string provider, string model, string outcome, TimeSpan duration, string? origin = null)
    {
        var tags = ModelTags(role, provider, model, origin);
        tags.Add("outcome", outcome);
        _providerDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Tokens a call to <paramref name="model"/> used, and their estimated cost when the model has a price.</summary>
    public void RecordUsage(string role, string provider, string model, TokenUsage usage, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        AddUsage(_tokens, _cost, ModelTags(role, provider, model, origin), model, usage);
    }

    /// <summary>
    /// An answered ask, by the route that answered it (a name from the route table) and its finish reason (one of
    /// <see cref="FinishReasons"/>' names), so the series are bounded by the route table.
    /// </summary>
    public void RecordAsk(string route, bool cached, string finishReason, string? origin = null)
    {
        var tags = new TagList { { "route", route }, { "cached", cached ? TrueValue : FalseValue }, { "finish_reason", finishReason } };
        AddOrigin(ref tags, origin);
        _asks.Add(1, tags);
    }

    /// <summary>
    /// What one step of an ask on <paramref name="route"/> spent: its tokens, and their estimated cost at
    /// <paramref name="model"/>'s price. Both steps count, so a route's cost is everything its asks cost.
    /// </summary>
    public void RecordRouteUsage(string route, string model, TokenUsage usage, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var tags = new TagList { { "route", route } };
        AddOrigin(ref tags, origin);
        AddUsage(_routeTokens, _routeCost, tags, model, usage);
    }

    /// <summary>Adds <paramref name="usage"/>'s cost at <paramref name="model"/>'s price (when it has one), then its input and output tokens, under <paramref name="tags"/>.</summary>
    private void AddUsage(Counter<long> tokens, Counter<double> cost, TagList tags, string model, TokenUsage usage)
    {
        if (_pricing.Find(model) is { } price)
        {
            cost.Add(price.CostOf(usage), tags);
        }

        var typeIndex = tags.Count;
        tags.Add("type", "input");
        tokens.Add(usage.Input, tags);
        tags[typeIndex] = new("type", "output");
        tokens.Add(usage.Output, tags);
    }

    /// <summary>A route's model failed and the next one is asked; <paramref name="reason"/> is the failure's outcome (<c>upstream_error</c>, <c>timeout</c>…).</summary>
    public void RecordFallback(string route, string from, string to, string reason, string? origin = null)
    {
        var tags = new TagList { { "route", route }, { "from", from }, { "to", to }, { "reason", reason } };
        AddOrigin(ref tags, origin);
        _fallbacks.Add(1, tags);
    }

    /// <summary>A failed attempt that the retry policy will repeat; <paramref name="reason"/> is e.g. <c>HTTP 503</c> or an exception type.</summary>
    public void RecordRetry(string role, string provider, string model, string reason)
    {
        var tags = ModelTags(role, provider, model);
        tags.Add("reason", reason);
        _retries.Add(1, tags);
    }

    private static TagList ModelTags(string role, string provider, string model, string? origin = null)
    {
        var tags = new TagList { { "role", role }, { "provider", provider }, { "model", model } };
        AddOrigin(ref tags, origin);
        return tags;
    }

    /// <summary>
    /// Asks that are not a caller's (the instance's warm-up) are recorded like any other, with an <c>origin</c> label
    /// (<c>origin="warm-up"</c>) a dashboard can leave out; a caller's series have no such label.
    /// </summary>
    public static void AddOrigin(ref TagList tags, string? origin)
    {
        if (origin is not null)
        {
            tags.Add("origin", origin);
        }
    }

    private IEnumerable<Measurement<int>> ObserveCircuits()
    {
        _models ??= _services.GetRequiredService<IChatModels>().All;
        foreach (var model in _models)
        {
            var info = model.Info;
            foreach (var circuit in model.Circuits)
            {
                var state = circuit.State switch
                {
                    CircuitState.Open => 2,
                    CircuitState.HalfOpen => 1,
                    _ => 0,
                };
                yield return new Measurement<int>(state, new("role", info.Role), new("provider", info.Provider), new("model", circuit.Model));
            }
        }
    }

    private Measurement<long>[] ObserveCacheLookups()
    {
        var statistics = Cache.GetStatistics();
        return [new(statistics.Hits, HitTag), new(statistics.Misses, MissTag), new(statistics.Coalesced, CoalescedTag)];
    }
}
