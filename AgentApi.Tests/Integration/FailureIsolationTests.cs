using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>Faults that need a host of their own: circuit breakers, deadlines, unreachable providers, load.</summary>
[TestFixture]
public sealed class FailureIsolationTests
{
    [Test]
    public async Task Ask_ExecutorFailsRepeatedly_OpensCircuitAndAnswers503AtOnce()
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["CIRCUIT_BREAKER_MIN_CALLS"] = "2";
            settings["CIRCUIT_BREAKER_BREAK_SECONDS"] = "30";
        });
        host.OpenAI.Enqueue(FakeOpenAIServer.ServerError(), FakeOpenAIServer.ServerError(), FakeOpenAIServer.ServerError());

        using var first = await host.AskAsync(new { query = "first" });
        var watch = Stopwatch.StartNew();
        using var second = await host.AskAsync(new { query = "second" });
        var elapsed = watch.Elapsed;
        var problem = await AgentApiHost.JsonAsync(second);
        using var health = await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var healthBody = await AgentApiHost.JsonAsync(health);

        Assert.Multiple(() =>
        {
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(2), "the circuit opened after two failed attempts");
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-circuit-open"));
            Assert.That(second.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 30));
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "an open circuit answers at once");
            Assert.That(healthBody.GetProperty("status").GetString(), Is.EqualTo("degraded"));
            Assert.That(healthBody.GetProperty("providers")[1].GetProperty("circuit").GetString(), Is.EqualTo("open"));
        });
    }

    [Test]
    public async Task Ask_TwoSlowPrompts_DoNotOpenTheCircuitForOthers()
    {
        // The breaker's defaults (half of at least 20 attempts in 30 s), not the test host's lenient ones.
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["CIRCUIT_BREAKER_MIN_CALLS"] = null;
            settings["EXECUTOR_TIMEOUT_SECONDS"] = "0.3";
        });
        host.OpenAI.Enqueue(Enumerable.Repeat(FakeResponse.Hang(), 6).ToArray());

        using var slow1 = await host.AskAsync(new { query = "a prompt that makes the model think for minutes" });
        using var slow2 = await host.AskAsync(new { query = "another prompt that makes the model think for minutes" });
        using var innocent = await host.AskAsync(new { query = "an innocent question" });
        using var ready = await host.Client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        var health = await AgentApiHost.JsonAsync(await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative)));

        Assert.Multiple(() =>
        {
            Assert.That(slow1.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
            Assert.That(slow2.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
            Assert.That(innocent.StatusCode, Is.EqualTo(HttpStatusCode.OK), "two callers' slow prompts must not open the circuit for everyone");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(health.GetProperty("providers")[1].GetProperty("circuit").GetString(), Is.EqualTo("closed"));
        });
    }

    [Test]
    public async Task Ask_OutageUnderLoad_OpensTheCircuit()
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["CIRCUIT_BREAKER_MIN_CALLS"] = null;
            settings["RETRY_MAX_ATTEMPTS"] = "1";
        });
        host.OpenAI.Enqueue(Enumerable.Range(0, 40).Select(_ => FakeOpenAIServer.ServerError()).ToArray());

        var outage = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
        {
            using var response = await host.AskAsync(new { query = $"ask {i} during the outage" });
            return response.StatusCode;
        }));
        using var next = await host.AskAsync(new { query = "after the outage began" });
        var problem = await AgentApiHost.JsonAsync(next);

        Assert.Multiple(() =>
        {
            Assert.That(outage, Has.All.EqualTo(HttpStatusCode.BadGateway).Or.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-circuit-open"));
            Assert.That(host.OpenAI.CallCount, Is.InRange(20, 24), "the circuit opened once the window held 20 failed attempts");
        });
    }

    [Test]
    public async Task Ask_OrchestratorCircuitOpen_SkipsOrchestratorAndFallsBack()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["CIRCUIT_BREAKER_MIN_CALLS"] = "2");
        var geminiError = FakeResponse.Json(503, FakeGeminiServer.ErrorBody(503, "UNAVAILABLE", "The model is overloaded. Please try again later."));
        host.Gemini.Enqueue(geminiError, geminiError);

        using var first = await host.AskAsync(new { query = "first" });
        using var second = await host.AskAsync(new { query = "second" });
        var body = await AgentApiHost.JsonAsync(second);

        Assert.Multiple(() =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("fallbackReason").GetString(), Does.Contain("circuit"));
            Assert.That(host.Gemini.CallCount, Is.EqualTo(2), "no orchestrator call while its circuit is open");
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(2), "the executor still answers both");
        });
    }

    [Test]
    public async Task Ask_RequestDeadlinePasses_Answers504()
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["REQUEST_TIMEOUT_SECONDS"] = "1";
            settings["EXECUTOR_TIMEOUT_SECONDS"] = "30";
        });
        host.OpenAI.Enqueue(FakeResponse.Hang());
        var watch = Stopwatch.StartNew();

        using var response = await host.AskAsync(new { query = "deadline" });
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-timeout"));
            Assert.That(body.GetProperty("detail").GetString(), Does.Contain("deadline"));
            Assert.That(watch.Elapsed, Is.InRange(TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4)));
        });
    }

    [Test]
    public async Task Ask_ExecutorUnreachable_RetriesThenAnswers502()
    {
        var closedPort = ClosedPort();
        await using var host = await AgentApiHost.StartAsync(settings => settings["OPENAI_BASE_URL"] = $"http://127.0.0.1:{closedPort}/v1");

        using var response = await host.AskAsync(new { query = "anyone there?" });
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-error"));
            Assert.That(body.GetProperty("detail").GetString(), Does.Contain("could not be reached").And.Contain("3 attempts"));
        });
    }

    [Test]
    public async Task Ask_200ConcurrentAsksAgainstAFlakyExecutor_NeverAnswers500()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["LOG_LEVEL"] = "Error");
        for (var i = 0; i < 300; i++)
        {
            host.OpenAI.Enqueue(i % 2 == 0 ? FakeOpenAIServer.ServerError() : FakeResponse.Default);
            host.Gemini.Enqueue(i % 2 == 0 ? FakeResponse.Default : FakeResponse.Json(503, FakeGeminiServer.ErrorBody(503, "UNAVAILABLE", "overloaded")));
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var response = await host.AskAsync(new { query = $"load {i}" });
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType);
        }));
        using var health = await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));

        var statuses = responses.GroupBy(r => r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        TestContext.Out.WriteLine("statuses: " + string.Join(", ", statuses.Select(s => $"{(int)s.Key}×{s.Value}")));
        Assert.Multiple(() =>
        {
            Assert.That(responses.Where(r => (int)r.StatusCode >= 500 && (int)r.StatusCode != 500).All(r => r.MediaType == "application/problem+json"), Is.True);
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.InternalServerError), Is.Zero);
            Assert.That(responses.All(r => r.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout), Is.True);
            Assert.That(statuses.GetValueOrDefault(HttpStatusCode.OK), Is.GreaterThan(100), "retries rescue most asks");
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the process stays up");
        });
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
