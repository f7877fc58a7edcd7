using System.Text.Json;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace AgentApi.Tests.Support;

/// <summary>
/// The ops kit in <c>deploy/</c>: the Prometheus configuration, its recording and alerting rules, the rules' unit tests,
/// and the Grafana dashboard, read as the tests need them.
/// </summary>
internal static class OpsKit
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    public static string PrometheusDirectory => Path.Combine(RepositoryPaths.Root, "deploy", "prometheus");

    public static string PrometheusConfig => Path.Combine(PrometheusDirectory, "prometheus.yml");

    public static IReadOnlyList<string> RuleFiles => Directory.GetFiles(Path.Combine(PrometheusDirectory, "rules"), "*.yml").Order(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> RuleTestFiles => Directory.GetFiles(Path.Combine(PrometheusDirectory, "tests"), "*.test.yml").Order(StringComparer.Ordinal).ToList();

    public static string Dashboard => Path.Combine(RepositoryPaths.Root, "deploy", "grafana", "agentapi-dashboard.json");

    /// <summary>Every rule of every rule file.</summary>
    public static IReadOnlyList<Rule> Rules() =>
        RuleFiles.SelectMany(file => Yaml.Deserialize<RuleFile>(File.ReadAllText(file)).Groups.SelectMany(group => group.Rules)).ToList();

    /// <summary>Every test of every rule-test file.</summary>
    public static IReadOnlyList<RuleTest> RuleTests() =>
        RuleTestFiles.SelectMany(file => Yaml.Deserialize<RuleTestFile>(File.ReadAllText(file)).Tests).ToList();

    /// <summary>The PromQL of every panel target and the variable queries of the dashboard, as written (with Grafana's variables).</summary>
    public static IReadOnlyList<string> DashboardQueries()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var queries = new List<string>();
        foreach (var panel in Panels(document.RootElement))
        {
            if (panel.TryGetProperty("targets", out var targets))
            {
                queries.AddRange(targets.EnumerateArray().Select(target => target.GetProperty("expr").GetString()!));
            }
        }

        foreach (var variable in document.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() == "query")
            {
                queries.Add(variable.GetProperty("definition").GetString()!);
            }
        }

        return queries;
    }

    /// <summary>The dashboard's panels, those inside collapsed rows included.</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement dashboard)
    {
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var inner))
            {
                foreach (var nested in inner.EnumerateArray())
                {
                    yield return nested;
                }
            }
        }
    }

    internal sealed class RuleFile
    {
        public List<RuleGroup> Groups { get; set; } = [];
    }

    internal sealed class RuleGroup
    {
        public string Name { get; set; } = "";

        public List<Rule> Rules { get; set; } = [];
    }

    internal sealed class Rule
    {
        public string? Record { get; set; }

        public string? Alert { get; set; }

        public string Expr { get; set; } = "";

        public Dictionary<string, string> Labels { get; set; } = [];

        public Dictionary<string, string> Annotations { get; set; } = [];
    }

    internal sealed class RuleTestFile
    {
        public List<RuleTest> Tests { get; set; } = [];
    }

    internal sealed class RuleTest
    {
        public string Name { get; set; } = "";

        public List<AlertRuleTest> AlertRuleTest { get; set; } = [];
    }

    internal sealed class AlertRuleTest
    {
        public string Alertname { get; set; } = "";

        public string EvalTime { get; set; } = "";

        public List<Dictionary<string, object>> ExpAlerts { get; set; } = [];
    }
}
