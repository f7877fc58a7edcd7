using System.Diagnostics.Metrics;
using System.Net;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;
using AgentApi.Web.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Moq;

namespace AgentApi.Tests.Integration;

[TestFixture]
public sealed class ReadinessTests
{
    [Test]
    public async Task GetReady_BothProvidersConfigured_Answers200HealthyWithEveryCheck()
    {
        await using var host = await AgentApiHost.StartAsync();

        using var response = await host.Client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        var body = await AgentApiHost.JsonAsync(response);

        var checks = body.GetProperty("checks");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Headers.CacheControl?.NoCache, Is.True, "load balancers must not see a cached verdict");
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("healthy"));
            Assert.That(checks.GetProperty("orchestrator").GetProperty("provider").GetString(), Is.EqualTo("gemini"));
            Assert.That(checks.GetProperty("orchestrator").GetProperty("circuit").GetString(), Is.EqualTo("closed"));
            Assert.That(checks.GetProperty("executor").GetProperty("model").GetString(), Is.EqualTo("gpt-4o-mini"));
            Assert.That(checks.GetProperty("executor").GetProperty("configured").GetBoolean(), Is.True);
            Assert.That(checks.GetProperty("cache").GetProperty("tiers")[0].GetString(), Is.EqualTo("memory"));
            Assert.That(checks.GetProperty("cache").GetProperty("status").GetString(), Is.EqualTo("healthy"));
        });
    }

    [Test]
    public async Task GetReady_ExecutorKeyMissing_Answers503NamingTheVariable()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["OPENAI_API_KEY"] = "");

        using var response = await host.Client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        var body = await AgentApiHost.JsonAsync(response);

        var executor = body.GetProperty("checks").GetProperty("executor");
        NLog.LogManager.Flush(TimeSpan.FromSeconds(10));
        var log = File.ReadAllText(Path.Combine(host.LogDirectory, "agentapi.log"));
        Assert.Multiple(() =>
        {
            Assert.That(log, Does.Not.Contain("ERROR"), "a failing readiness probe is not an error in the log");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
            Assert.That(executor.GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
            Assert.That(executor.GetProperty("missingSetting").GetString(), Is.EqualTo("OPENAI_API_KEY"));
            Assert.That(body.GetProperty("checks").GetProperty("orchestrator").GetProperty("status").GetString(), Is.EqualTo("healthy"));
        });
    }

    [Test]
    public async Task GetReady_OrchestratorCircuitOpen_Answers200DegradedAndGaugeSaysOpen()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["CIRCUIT_BREAKER_MIN_CALLS"] = "2");
        var serverError = FakeGeminiServer.InternalError();
        host.Gemini.Enqueue(serverError, serverError);
        using var ask = await host.AskAsync(new { query = "Trip the orchestrator's breaker" });

        using var response = await host.Client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        var body = await AgentApiHost.JsonAsync(response);
        var scrape = await PrometheusScrape.ScrapeAsync(host.Client);

        var orchestrator = body.GetProperty("checks").GetProperty("orchestrator");
        Assert.Multiple(async () =>
        {
            Assert.That((await AgentApiHost.JsonAsync(ask)).GetProperty("fallback").GetBoolean(), Is.True, "asks still answer");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("degraded"));
            Assert.That(orchestrator.GetProperty("status").GetString(), Is.EqualTo("degraded"));
            Assert.That(orchestrator.GetProperty("circuit").GetString(), Is.EqualTo("open"));
            Assert.That(scrape.Sum("agentapi_circuit_state", ("role", "orchestrator")), Is.EqualTo(2));
            Assert.That(scrape.Sum("agentapi_circuit_state", ("role", "executor")), Is.Zero);
            Assert.That(scrape.Sum("agentapi_provider_duration_seconds_count", ("role", "orchestrator"), ("outcome", "circuit_open")), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task GetReady_ExecutorCircuitOpen_Answers200DegradedWhileAsksFailFast()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["CIRCUIT_BREAKER_MIN_CALLS"] = "2");
        var serverError = FakeResponse.Json(500, FakeOpenAIServer.ErrorBody("The server had an error", "server_error", null));
        host.OpenAI.Enqueue(serverError, serverError);
        using var ask = await host.AskAsync(new { query = "Trip the executor's breaker" });

        using var response = await host.Client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(ask.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a shared provider's circuit must not pull every replica");
            Assert.That(body.GetProperty("checks").GetProperty("executor").GetProperty("circuit").GetString(), Is.EqualTo("open"));
            Assert.That(body.GetProperty("checks").GetProperty("executor").GetProperty("status").GetString(), Is.EqualTo("degraded"));
        });
    }

    [Test]
    public async Task Metrics_ExecutorKeyMissing_ReadinessGaugeSaysUnhealthyForThatCheckOnly()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["OPENAI_API_KEY"] = "");

        PrometheusScrape scrape = null!;
        await Eventually.TrueAsync(async () => (scrape = await PrometheusScrape.ScrapeAsync(host.Client)).Has("agentapi_readiness_status"),
            what: "the first readiness report, run as the host starts");

        Assert.Multiple(() =>
        {
            Assert.That(scrape.Sum("agentapi_readiness_status", ("check", "executor")), Is.EqualTo(2), "unhealthy: /healthz/ready answers 503");
            Assert.That(scrape.Sum("agentapi_readiness_status", ("check", "orchestrator")), Is.Zero, "the other provider is ready");
            Assert.That(scrape.Sum("agentapi_readiness_status", ("check", "lifetime")), Is.Zero);
            Assert.That(scrape.Has("agentapi_readiness_status", ("check", "warm-up")), Is.True, "every check has its series");
        });
    }

    [Test]
    public async Task ReadinessMetrics_Report_GivesEachCheckItsVerdictAsAValue()
    {
        var factory = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var metrics = new ReadinessMetrics(factory);
        var observed = new Dictionary<string, int>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "agentapi.readiness.status")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => observed[(string)tags[0].Value!] = value);
        listener.Start();

        listener.RecordObservableInstruments();
        var beforeAnyReport = observed.Count;
        await metrics.PublishAsync(new HealthReport(new Dictionary<string, HealthReportEntry>
        {
            ["cache"] = new(HealthStatus.Healthy, null, TimeSpan.Zero, null, null),
            ["orchestrator"] = new(HealthStatus.Degraded, null, TimeSpan.Zero, null, null),
            ["executor"] = new(HealthStatus.Unhealthy, null, TimeSpan.Zero, null, null),
        }, TimeSpan.Zero), CancellationToken.None);
        listener.RecordObservableInstruments();

        Assert.Multiple(() =>
        {
            Assert.That(beforeAnyReport, Is.Zero, "no verdict before the checks first run");
            Assert.That(observed, Is.EquivalentTo(new Dictionary<string, int> { ["cache"] = 0, ["orchestrator"] = 1, ["executor"] = 2 }));
        });
    }

    [Test]
    public async Task GetHealth_Liveness_StaysOkWhileNotReady()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["OPENAI_API_KEY"] = "");

        using var response = await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "liveness never fails for configuration: restarting would not help");
    }

    [Test]
    public async Task LifetimeCheck_HostStopping_IsUnhealthy()
    {
        using var stopping = new CancellationTokenSource();
        var lifetime = new Mock<IHostApplicationLifetime>();
        lifetime.SetupGet(l => l.ApplicationStopping).Returns(stopping.Token);
        var check = new LifetimeReadinessCheck(lifetime.Object);

        var running = await check.CheckHealthAsync(new HealthCheckContext());
        await stopping.CancelAsync();
        var stopped = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Multiple(() =>
        {
            Assert.That(running.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(stopped.Status, Is.EqualTo(HealthStatus.Unhealthy));
        });
    }
}
