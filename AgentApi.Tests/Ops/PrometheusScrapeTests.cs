using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Providers;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Ops;

/// <summary>
/// The ops kit against a running AgentApi (fake providers, a route with a fallback, two callers with a daily token
/// budget, a short warm-up):
/// a real Prometheus scrapes it and answers through its HTTP API, evaluates every rule and runs every dashboard query;
/// and every metric and label that a rule or the dashboard uses is one <c>/metrics</c> serves.
/// </summary>
[TestFixture]
[Category("Prometheus")]
public sealed partial class PrometheusScrapeTests
{
    /// <summary>Series Prometheus writes itself for each target, and the labels it puts on every series it scrapes.</summary>
    private static readonly HashSet<string> PrometheusSeries = new(StringComparer.Ordinal) { "up" };

    private static readonly HashSet<string> TargetLabels = new(StringComparer.Ordinal) { "job", "instance" };

    private const string BackupKey = "test-backup-key";

    private FakeOpenAIServer _backup = null!;
    private string _directory = null!;
    private AgentApiHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The route table of FallbackTests: the general route on the host's fake OpenAI, falling back to a second one.
        _backup = await FakeOpenAIServer.StartAsync(BackupKey);
        _directory = Directory.CreateTempSubdirectory("agentapi-ops").FullName;
        var routes = Path.Combine(_directory, "routes.json");
        await File.WriteAllTextAsync(routes, FallbackTests.RoutesFile(_backup.BaseUrl));
        _host = await AgentApiHost.StartAsync(settings =>
        {
            settings["ROUTES_FILE"] = routes;
            settings["BACKUP_API_KEY"] = BackupKey;
            settings["AGENTAPI_API_KEYS"] = Callers.KeyA + "," + Callers.KeyB;
            settings["TOKEN_BUDGET_PER_DAY"] = "5000";
            settings["WARMUP_ASKS"] = "2";
            settings["LOG_LEVEL"] = "Information";
        });

        // One caller: a miss retried once, a hit, and an ask its model fails three times, answered by the fallback.
        // Another caller spends its day's budget in one ask and is refused the next.
        var query = Queries.Unique("Scraped");
        _host.OpenAI.Enqueue(FakeResponse.Json(503, FakeOpenAIServer.ErrorBody("The engine is currently overloaded", "server_error", null)));
        await AskOkAsync(query, Callers.KeyB);
        await AskOkAsync(query, Callers.KeyB);
        _host.OpenAI.Enqueue(FakeOpenAIServer.ServerError(), FakeOpenAIServer.ServerError(), FakeOpenAIServer.ServerError());
        await AskOkAsync(Queries.Unique("Answered by the fallback"), Callers.KeyB);
        _host.OpenAI.Enqueue(FakeResponse.Json(200, FakeOpenAIServer.SuccessBody("Costly.", promptTokens: 3000, completionTokens: 3000)));
        await AskOkAsync(Queries.Unique("Spend the day"), Callers.KeyA);
        using var refused = await _host.AskWithKeyAsync(new { query = Queries.Unique("One more") }, Callers.KeyA);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));

        await Eventually.TrueAsync(async () =>
        {
            var scrape = await PrometheusScrape.ScrapeAsync(_host.Client);
            return scrape.Has("agentapi_asks_total", ("origin", "warm-up")) && scrape.Has("agentapi_readiness_status");
        }, TimeSpan.FromSeconds(10), "the warm-up's asks and the first readiness report");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _backup.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [SetUp]
    public void ResetFakes()
    {
        _host.ResetFakes();
        _backup.Reset();
    }

    [Test]
    public async Task Prometheus_ScrapingAgentApi_ReadsMetricsAndRecordedSeriesBackThroughItsHttpApi()
    {
        await using var prometheus = await PrometheusServer.StartAsync(_host.BaseUrl, OpsKit.RuleFiles);
        await Eventually.TrueAsync(async () => await prometheus.ScalarAsync("up{job=\"agentapi\"}") == 1, TimeSpan.FromSeconds(10), "the first scrape");

        // Asked once Prometheus has seen the counters, so rates over its own samples move.
        var query = Queries.Unique("Through Prometheus");
        await AskOkAsync(query, Callers.KeyB);
        await AskOkAsync(query, Callers.KeyB);
        var served = (await PrometheusScrape.ScrapeAsync(_host.Client)).Sum("agentapi_cache_lookups_total", ("result", "hit"));

        double? hits = null, askRate = null;
        await Eventually.TrueAsync(async () =>
        {
            hits = await prometheus.ScalarAsync("sum(agentapi_cache_lookups_total{job=\"agentapi\",result=\"hit\"})");
            askRate = await prometheus.ScalarAsync("sum(job_route:agentapi_ask_requests:rate5m{route=\"/api/ask\"})");
            return hits == served && askRate > 0;
        }, TimeSpan.FromSeconds(15), "the scraped hits and a recorded ask rate");

        Assert.Multiple(() =>
        {
            Assert.That(hits, Is.EqualTo(served), "the counter as /metrics served it");
            Assert.That(askRate, Is.GreaterThan(0), "a recording rule evaluated over the scraped samples");
        });
    }

    [Test]
    public async Task Prometheus_RulesAndDashboardQueries_AllEvaluateWithoutError()
    {
        await using var prometheus = await PrometheusServer.StartAsync(_host.BaseUrl, OpsKit.RuleFiles);

        JsonElement[] rules = [];
        await Eventually.TrueAsync(async () =>
        {
            var (_, body) = await prometheus.GetAsync("/api/v1/rules");
            rules = [.. body.GetProperty("data").GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray())];
            return rules.Length > 0 && rules.All(rule => rule.GetProperty("health").GetString() != "unknown");
        }, TimeSpan.FromSeconds(10), "every rule's first evaluation");

        var broken = rules.Where(rule => rule.GetProperty("health").GetString() != "ok")
            .Select(rule => $"{rule.GetProperty("name").GetString()}: {rule.GetProperty("lastError").GetString()}")
            .ToList();
        foreach (var query in OpsKit.DashboardQueries().Where(query => !query.StartsWith("label_values(", StringComparison.Ordinal)))
        {
            // Grafana's variables as Grafana would fill them: every job, a one-minute rate window.
            var (status, body) = await prometheus.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(query.Replace("$job", ".+", StringComparison.Ordinal)
                .Replace("$__rate_interval", "1m", StringComparison.Ordinal)));
            if (status != "success")
            {
                broken.Add($"dashboard: {query}: {body.GetProperty("error").GetString()}");
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(rules, Has.Length.EqualTo(OpsKit.Rules().Count), "Prometheus loaded every rule");
            Assert.That(broken, Is.Empty);
        });
    }

    [Test]
    public async Task RulesAndDashboard_EveryMetricAndLabelTheyUse_IsServedAtMetrics()
    {
        var served = (await PrometheusScrape.ScrapeAsync(_host.Client)).LabelNames();
        var rules = OpsKit.Rules();
        var recorded = rules.Where(rule => rule.Record is not null).ToDictionary(rule => rule.Record!, rule => rule.Expr, StringComparer.Ordinal);
        var expressions = rules.Select(rule => (Where: rule.Record ?? rule.Alert!, rule.Expr))
            .Concat(OpsKit.DashboardQueries().Select(query => (Where: "dashboard", Expr: query)));

        var missing = new List<string>();
        foreach (var (where, expr) in expressions)
        {
            var names = ReadNames(expr);
            var raw = Raw(names.Selectors.Select(s => s.Metric), recorded).ToList();
            var labelsOfRaw = raw.SelectMany(metric => LabelsOf(metric, served) ?? []).Concat(TargetLabels)
                .Concat(raw.Any(metric => metric.EndsWith("_bucket", StringComparison.Ordinal)) ? ["le"] : []).ToHashSet(StringComparer.Ordinal);

            foreach (var (metric, labels) in names.Selectors)
            {
                var known = metric.Contains(':', StringComparison.Ordinal)
                    ? recorded.TryGetValue(metric, out var definition) ? OutputLabels(definition, recorded, served) : null
                    : LabelsOf(metric, served);
                if (known is null)
                {
                    missing.Add($"{where}: metric {metric}");
                    continue;
                }

                missing.AddRange(labels.Where(label => !known.Contains(label) && !TargetLabels.Contains(label)).Select(label => $"{where}: label {label} of {metric}"));
            }

            missing.AddRange(names.ClauseLabels.Where(label => !labelsOfRaw.Contains(label)).Select(label => $"{where}: label {label} in by/on (…) of {string.Join(", ", raw)}"));
        }

        Assert.That(missing.Distinct(), Is.Empty, "every name a rule or the dashboard uses must be one /metrics serves (or a recording rule's)");
    }

    /// <summary>Each raw metric an expression reads, through the recording rules it names.</summary>
    private static IEnumerable<string> Raw(IEnumerable<string> metrics, Dictionary<string, string> recorded) =>
        metrics.SelectMany(metric => recorded.TryGetValue(metric, out var definition)
            ? Raw(PromQlNames.Of(definition).Selectors.Select(s => s.Metric), recorded)
            : [metric]);

    /// <summary>The labels a served metric's series carry (none of their own for Prometheus' series); null when it is not served.</summary>
    private static HashSet<string>? LabelsOf(string metric, IReadOnlyDictionary<string, HashSet<string>> served) =>
        PrometheusSeries.Contains(metric) ? [] : served.GetValueOrDefault(metric);

    /// <summary>The labels a recording rule's series carry: those it aggregates by (less <c>le</c>, which a quantile drops), or its inputs' when it does not aggregate.</summary>
    private static HashSet<string> OutputLabels(string definition, Dictionary<string, string> recorded, IReadOnlyDictionary<string, HashSet<string>> served)
    {
        var names = PromQlNames.Of(definition);
        return names.ByLabels.Count > 0
            ? names.ByLabels.Where(label => label != "le").ToHashSet(StringComparer.Ordinal)
            : Raw(names.Selectors.Select(s => s.Metric), recorded).SelectMany(metric => LabelsOf(metric, served) ?? []).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A query's names; Grafana's <c>label_values(metric, label)</c> reads as a selector of that metric on that label.</summary>
    private static PromQlNames ReadNames(string query)
    {
        var labelValues = LabelValues().Match(query);
        return labelValues.Success
            ? PromQlNames.Of($"{labelValues.Groups["metric"].Value}{{{labelValues.Groups["label"].Value}=\"\"}}")
            : PromQlNames.Of(query);
    }

    private async Task AskOkAsync(string query, string key)
    {
        using var response = await _host.AskWithKeyAsync(new { query }, key);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"^label_values\((?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*,\s*(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\)$")]
    private static partial Regex LabelValues();
}
