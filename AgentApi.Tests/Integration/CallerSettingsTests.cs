using System.Net;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>The settings around callers: what closes /metrics and the docs, what stops start-up, what is logged at start.</summary>
[TestFixture]
public sealed class CallerSettingsTests
{
    [Test]
    public async Task Metrics_WithMetricsRequireKey_Answers401WithoutKeyAnd200WithOne()
    {
        await using var host = await Callers.StartWithKeysAsync("METRICS_REQUIRE_KEY", "true");

        using var anonymous = await host.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Callers.KeyA);
        using var keyed = await host.Client.SendAsync(request);
        using var health = await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(anonymous.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
            Assert.That(keyed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Docs_WithDocsDisabled_Answer404()
    {
        await using var host = await AgentApiHost.StartAsync(s => s["DOCS_ENABLED"] = "false");

        using var docs = await host.Client.GetAsync(new Uri("/docs", UriKind.Relative));
        using var document = await host.Client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(docs.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Start_WithoutKeys_WarnsThatTheServiceIsOpen()
    {
        await using var host = await AgentApiHost.StartAsync();

        Assert.That(Callers.ReadLogs(host.LogDirectory), Does.Contain("open to anyone who can reach this service"));
    }

    [Test]
    public async Task Start_WithKeys_DoesNotWarn()
    {
        await using var host = await AgentApiHost.StartAsync(s => s["AGENTAPI_API_KEYS"] = Callers.KeyA);

        Assert.That(Callers.ReadLogs(host.LogDirectory), Does.Not.Contain("open to anyone"));
    }

    [TestCase("AGENTAPI_API_KEYS", "short")]
    [TestCase("RATE_LIMIT_PER_MINUTE", "-1")]
    [TestCase("RATE_LIMIT_CONCURRENCY", "many")]
    [TestCase("TOKEN_BUDGET_PER_DAY", "-5")]
    [TestCase("CACHE_SCOPE", "tenant")]
    [TestCase("DOCS_ENABLED", "maybe")]
    [TestCase("METRICS_REQUIRE_KEY", "true")]
    [TestCase("AGENTAPI_API_KEYS_FILE", "/nonexistent/agentapi-keys")]
    public async Task Start_MalformedCallerSetting_FailsNamingTheVariable(string variable, string value)
    {
        var exception = await AgentApiHost.StartupFailureAsync(settings => settings[variable] = value);

        Assert.That(exception!.ToString(), Does.Contain(variable));
    }

    [Test]
    public async Task Start_KeysFileWithAKeyInsteadOfAHash_FailsNamingTheLineNotItsContent()
    {
        var file = Path.Combine(Path.GetTempPath(), $"agentapi-keys-{Guid.NewGuid():N}");
        File.WriteAllLines(file, [Callers.FileLine("ok", Callers.KeyB), "billing:" + Callers.KeyA]);
        try
        {
            var exception = await AgentApiHost.StartupFailureAsync(settings => settings["AGENTAPI_API_KEYS_FILE"] = file);

            Assert.Multiple(() =>
            {
                Assert.That(exception!.ToString(), Does.Contain("AGENTAPI_API_KEYS_FILE line 2"));
                Assert.That(exception.ToString(), Does.Not.Contain(Callers.KeyA));
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task Ask_WithGlobalCacheScope_SharesAnswersAcrossCallers()
    {
        await using var host = await Callers.StartWithKeysAsync("CACHE_SCOPE", "global");
        var query = Queries.Unique("Common question");

        using (await host.AskWithKeyAsync(new { query }, Callers.KeyA))
        {
        }

        using var other = await host.AskWithKeyAsync(new { query }, Callers.KeyB);

        Assert.That((await AgentApiHost.JsonAsync(other)).GetProperty("cached").GetBoolean(), Is.True);
    }
}
