using System.Text.Json;
using System.Text.RegularExpressions;
using AgentApi.Tests.Docs;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Ops;

/// <summary>
/// What the ops kit promises beyond what promtool checks: every alert is unit-tested both firing and not firing, has a
/// severity and a runbook entry in docs/operating.md, and the Grafana dashboard is importable as it stands.
/// </summary>
[TestFixture]
public sealed partial class OpsKitTests
{
    private static readonly HashSet<string> Severities = new(StringComparer.Ordinal) { "critical", "warning", "info" };

    private static IEnumerable<OpsKit.Rule> Alerts => OpsKit.Rules().Where(rule => rule.Alert is not null);

    [Test]
    public void RuleTests_EveryAlert_IsTestedFiringAndNotFiring()
    {
        var cases = OpsKit.RuleTests().SelectMany(test => test.AlertRuleTest).ToList();

        var untested = Alerts
            .SelectMany(alert => new[]
            {
                cases.Any(c => c.Alertname == alert.Alert && c.ExpAlerts.Count > 0) ? null : $"{alert.Alert}: no test where it fires",
                cases.Any(c => c.Alertname == alert.Alert && c.ExpAlerts.Count == 0) ? null : $"{alert.Alert}: no test where it stays silent",
            })
            .OfType<string>()
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(Alerts.Count(), Is.GreaterThanOrEqualTo(8));
            Assert.That(untested, Is.Empty, "deploy/prometheus/tests/");
            Assert.That(cases.Select(c => c.Alertname).Distinct(), Is.SubsetOf(Alerts.Select(a => a.Alert)), "a test names an alert that does not exist");
        });
    }

    [Test]
    public void Alerts_Each_HasASeveritySummaryAndARunbookEntryInOperatingDocs()
    {
        var operating = DocsSnippets.Read("docs/operating.md");
        var runbooks = RunbookHeading().Matches(operating).ToDictionary(m => m.Groups["alert"].Value, m => Section(operating, m.Index));

        Assert.Multiple(() =>
        {
            foreach (var alert in Alerts)
            {
                var name = alert.Alert!;
                Assert.That(Severities, Does.Contain(alert.Labels.GetValueOrDefault("severity")), $"{name}: severity");
                Assert.That(alert.Annotations.Keys, Is.SupersetOf(AnnotationKeys), name);
                Assert.That(alert.Annotations.GetValueOrDefault("runbook_url"), Is.EqualTo("docs/operating.md#" + name.ToLowerInvariant()), $"{name}: runbook_url is its heading's anchor");
                Assert.That(runbooks.ContainsKey(name), Is.True, $"{name}: no '#### {name}' in docs/operating.md");
                if (runbooks.TryGetValue(name, out var runbook))
                {
                    foreach (var part in RunbookParts)
                    {
                        Assert.That(runbook, Does.Contain(part), $"{name}'s runbook entry");
                    }
                }
            }

            Assert.That(runbooks.Keys, Is.SubsetOf(Alerts.Select(a => a.Alert)), "a runbook entry for an alert that does not exist");
        });
    }

    [Test]
    public void Dashboard_Json_IsImportableWithAPrometheusDatasourceVariable()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(OpsKit.Dashboard));
        var dashboard = document.RootElement;
        var variables = dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().ToList();
        var panels = OpsKit.Panels(dashboard).Where(panel => panel.GetProperty("type").GetString() != "row").ToList();
        var targets = panels.SelectMany(panel => panel.GetProperty("targets").EnumerateArray()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(dashboard.GetProperty("uid").GetString(), Does.Match("^[a-zA-Z0-9_-]{1,40}$"), "Grafana's uid rules");
            Assert.That(dashboard.GetProperty("title").GetString(), Is.Not.Empty);
            Assert.That(dashboard.GetProperty("schemaVersion").GetInt32(), Is.InRange(36, 41), "Grafana 9.4 to 11");
            Assert.That(dashboard.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.Null, Is.False, "no id: Grafana gives one on import");
            Assert.That(variables.Any(v => v.GetProperty("type").GetString() == "datasource" && v.GetProperty("name").GetString() == "datasource"
                && v.GetProperty("query").GetString() == "prometheus"), Is.True, "a Prometheus datasource variable, so import asks for no uid");
            Assert.That(panels, Has.Count.GreaterThanOrEqualTo(20));
            Assert.That(OpsKit.Panels(dashboard).Select(panel => panel.GetProperty("id").GetInt32()), Is.Unique);
            Assert.That(panels.Select(DatasourceUid), Is.All.EqualTo("${datasource}"), "every panel on the chosen datasource");
            Assert.That(targets.Select(DatasourceUid), Is.All.EqualTo("${datasource}"));
            Assert.That(targets.Select(t => t.GetProperty("expr").GetString()), Is.All.Not.Empty);
            Assert.That(panels.Select(p => p.GetProperty("gridPos")).Select(g => g.GetProperty("x").GetInt32() + g.GetProperty("w").GetInt32()), Is.All.AtMost(24));
            Assert.That(panels.Select(p => p.GetProperty("title").GetString()), Is.Unique);
        });
    }

    private static readonly string[] AnnotationKeys = ["summary", "description", "runbook_url"];

    private static readonly string[] RunbookParts = ["**What it means.**", "**First checks.**", "**Likely causes.**", "**What to do.**"];

    private static string? DatasourceUid(JsonElement element) =>
        element.TryGetProperty("datasource", out var datasource) && datasource.ValueKind == JsonValueKind.Object ? datasource.GetProperty("uid").GetString() : null;

    /// <summary>From a heading to the next heading of the same or a higher level.</summary>
    private static string Section(string page, int start)
    {
        var next = NextHeading().Match(page, start + 1);
        return next.Success ? page[start..next.Index] : page[start..];
    }

    [GeneratedRegex(@"^#### (?<alert>AgentApi\w+)$", RegexOptions.Multiline)]
    private static partial Regex RunbookHeading();

    [GeneratedRegex(@"^#{1,4} ", RegexOptions.Multiline)]
    private static partial Regex NextHeading();
}
