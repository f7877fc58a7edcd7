using System.Net;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Providers;

/// <summary>Issue 23: one breaker per provider and model, that a caller's long answers cannot open and an outage does.</summary>
[TestFixture]
public sealed class ModelCircuitTests
{
    /// <summary>
    /// Reproduces the finding: keys alpha and bravo; alpha sends four asks the model takes 3 s to answer, with
    /// <c>EXECUTOR_TIMEOUT_SECONDS=1</c> and <c>CIRCUIT_BREAKER_MIN_CALLS=6</c>. Before, the attempts timed out, the shared
    /// executor circuit opened and bravo got 503 <c>provider-circuit-open</c>. An attempt is now timed to its first byte, and
    /// the answer streams in: alpha's asks are answered, and nothing opens.
    /// </summary>
    [Test]
    public async Task Ask_OneCallersLongButWorkingAnswers_NeverOpenTheCircuitForAnother()
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["AGENTAPI_API_KEYS"] = Callers.KeyA + "," + Callers.KeyB;
            settings["EXECUTOR_TIMEOUT_SECONDS"] = "1";
            settings["CIRCUIT_BREAKER_MIN_CALLS"] = "6";
            settings["REQUEST_TIMEOUT_SECONDS"] = "20";
        });
        host.OpenAI.Reply = _ => string.Join(' ', Enumerable.Range(1, 20).Select(i => $"word{i}"));
        host.OpenAI.Enqueue(Enumerable.Repeat(FakeResponse.Generating(TimeSpan.FromSeconds(3), chunks: 20), 4).ToArray());

        var alpha = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            using var response = await host.AskWithKeyAsync(new { query = Queries.Unique($"Write a long essay, part {i}") }, Callers.KeyA);
            return response.StatusCode;
        }));
        using var bravo = await host.AskWithKeyAsync(new { query = Queries.Unique("A short question") }, Callers.KeyB);
        var health = await AgentApiHost.JsonAsync(await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative)));

        Assert.Multiple(() =>
        {
            Assert.That(alpha, Has.All.EqualTo(HttpStatusCode.OK), "a long answer that keeps coming is not a failure");
            Assert.That(bravo.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another caller is not refused");
            Assert.That(health.GetProperty("providers")[1].GetProperty("circuit").GetString(), Is.EqualTo("closed"));
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(5), "one attempt each: nothing timed out and nothing was retried");
        });
    }

    [Test]
    public async Task Ask_PrimaryModelDown_OpensItsCircuitOnlyAndTheFallbackAnswersWithoutCallingIt()
    {
        await using var backup = await FakeOpenAIServer.StartAsync("test-backup-key");
        var directory = Directory.CreateTempSubdirectory("agentapi-circuits").FullName;
        try
        {
            var routes = Path.Combine(directory, "routes.json");
            await File.WriteAllTextAsync(routes, FallbackTests.RoutesFile(backup.BaseUrl));
            await using var host = await AgentApiHost.StartAsync(settings =>
            {
                settings["ROUTES_FILE"] = routes;
                settings["BACKUP_API_KEY"] = "test-backup-key";
                settings["RETRY_MAX_ATTEMPTS"] = "1";
                settings["CIRCUIT_BREAKER_MIN_CALLS"] = "2";
                settings["CIRCUIT_BREAKER_BREAK_SECONDS"] = "30";
            });
            host.OpenAI.Enqueue(FakeOpenAIServer.ServerError(), FakeOpenAIServer.ServerError());

            using var first = await host.AskAsync(new { query = Queries.Unique("first") });
            using var second = await host.AskAsync(new { query = Queries.Unique("second") });
            using var third = await host.AskAsync(new { query = Queries.Unique("third") });
            var body = await AgentApiHost.JsonAsync(third);
            var health = await AgentApiHost.JsonAsync(await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative)));
            var metrics = await PrometheusScrape.ScrapeAsync(host.Client);

            Assert.Multiple(() =>
            {
                Assert.That(new[] { first.StatusCode, second.StatusCode, third.StatusCode }, Has.All.EqualTo(HttpStatusCode.OK), "the fallback answers throughout");
                Assert.That(host.OpenAI.CallCount, Is.EqualTo(2), "no call to a model whose circuit is open");
                Assert.That(body.GetProperty("executor").GetProperty("provider").GetString(), Is.EqualTo("backup"));
                Assert.That(body.GetProperty("executor").GetProperty("fallbackFrom")[0].GetProperty("reason").GetString(), Is.EqualTo("circuit_open"));
                Assert.That(body.GetProperty("executor").GetProperty("fallbackFrom")[0].GetProperty("attempts").GetInt32(), Is.Zero);
                Assert.That(health.GetProperty("providers")[1].GetProperty("circuit").GetString(), Is.EqualTo("open"));
                Assert.That(health.GetProperty("providers")[1].GetProperty("openCircuits")[0].GetString(), Is.EqualTo("gpt-4o-mini"));
                Assert.That(health.GetProperty("providers")[2].GetProperty("circuit").GetString(), Is.EqualTo("closed"), "the fallback's own circuit");
                Assert.That(metrics.Sum("agentapi_circuit_state", ("role", "executor"), ("provider", "openai"), ("model", "gpt-4o-mini")), Is.EqualTo(2));
                Assert.That(metrics.Sum("agentapi_circuit_state", ("role", "executor"), ("provider", "backup"), ("model", "gpt-4o-mini")), Is.Zero);
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
