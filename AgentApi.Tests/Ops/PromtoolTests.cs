using AgentApi.Tests.Support;

namespace AgentApi.Tests.Ops;

/// <summary>
/// Prometheus' own checker on the ops kit (<c>deploy/prometheus</c>): the configuration, the rules, and the rules' unit
/// tests. Ignored where <c>promtool</c> is not installed, except in CI, whose <c>.ci/run</c> installs it.
/// </summary>
[TestFixture]
[Category("Prometheus")]
public sealed class PromtoolTests
{
    [Test]
    public async Task CheckConfig_DeployedConfiguration_IsValidWithItsRuleFiles()
    {
        var output = await PromtoolAsync("check", "config", OpsKit.PrometheusConfig);

        Assert.That(output, Does.Contain("2 rule files found"), "prometheus.yml loads both rule files");
    }

    [Test]
    public async Task CheckRules_RuleFiles_AreValidWithoutLintFindings()
    {
        var output = await PromtoolAsync(["check", "rules", "--lint-fatal", .. OpsKit.RuleFiles]);

        Assert.That(output, Does.Not.Contain("FAILED"));
    }

    [Test]
    public async Task TestRules_AlertAndRecordingUnitTests_AllPass()
    {
        var output = await PromtoolAsync(["test", "rules", .. OpsKit.RuleTestFiles]);

        Assert.That(output, Does.Not.Contain("FAILED"));
    }

    /// <summary>Runs promtool in <c>deploy/prometheus</c>; a non-zero exit fails the test with promtool's output.</summary>
    private static async Task<string> PromtoolAsync(params string[] arguments)
    {
        var promtool = LocalTools.Require("promtool", "prometheus");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (exitCode, output) = await ChildProcess.RunAsync(promtool, arguments, OpsKit.PrometheusDirectory, environment: null, timeout.Token);
        Assert.That(exitCode, Is.Zero, $"promtool {string.Join(' ', arguments)}:\n{output}");
        return output;
    }
}
