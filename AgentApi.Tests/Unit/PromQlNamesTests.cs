using AgentApi.Tests.Support;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class PromQlNamesTests
{
    private static readonly string[] RatioMetrics = ["agentapi_fallbacks_total", "x_count", "y:recorded:ratio", "z"];
    private static readonly string[] RatioMatchers = ["route", "origin"];
    private static readonly string[] RatioClauses = ["job", "job", "route", "job", "caller"];
    private static readonly string[] RatioBy = ["job", "job", "route"];
    private static readonly string[] QuantileMetrics = ["m_bucket"];
    private static readonly string[] QuantileMatchers = ["job", "l"];
    private static readonly string[] QuantileClauses = ["le"];

    [Test]
    public void Of_RatioWithGroupingMatchersAndNumbers_ReadsSelectorsAndClauseLabels()
    {
        var names = PromQlNames.Of("""
            (sum by (job) (rate(agentapi_fallbacks_total[10m])) or sum by (job, route) (rate(x_count{route=~"/api/ask|/v1",origin=""}[1d])) * 0)
              / on (job) group_left (caller) y:recorded:ratio > 0.05 and z > 1e-3 # a comment naming not_a_metric
            """);

        Assert.Multiple(() =>
        {
            Assert.That(names.Selectors.Select(s => s.Metric), Is.EqualTo(RatioMetrics));
            Assert.That(names.Selectors[1].Labels, Is.EqualTo(RatioMatchers));
            Assert.That(names.ClauseLabels, Is.EqualTo(RatioClauses));
            Assert.That(names.ByLabels, Is.EqualTo(RatioBy));
        });
    }

    [Test]
    public void Of_GrafanaVariablesAndQuantile_SkipsRangesStringsAndFunctions()
    {
        var names = PromQlNames.Of("""histogram_quantile(0.99, sum by (le) (rate(m_bucket{job=~"$job",l="a\"b{c}"}[$__rate_interval]))) offset 5m""");

        Assert.Multiple(() =>
        {
            Assert.That(names.Selectors.Select(s => s.Metric), Is.EqualTo(QuantileMetrics));
            Assert.That(names.Selectors[0].Labels, Is.EqualTo(QuantileMatchers));
            Assert.That(names.ClauseLabels, Is.EqualTo(QuantileClauses));
        });
    }
}
