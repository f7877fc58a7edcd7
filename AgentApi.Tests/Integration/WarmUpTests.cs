using System.Net;
using System.Text.Json;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;
using AgentApi.Web.WarmUp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AgentApi.Tests.Integration;

/// <summary>
/// The warm-up a starting instance runs before it reports ready (issue 16's cold start): asks through the whole
/// path, over loopback, that leave nothing behind. The other tests start hosts with it off (WARMUP_ASKS=0).
/// </summary>
[TestFixture]
public sealed class WarmUpTests
{
    private const int Asks = 40;

    [Test]
    public async Task Start_WithWarmUp_ReadinessTurns200AfterIt_AndItCallsNoProviderAndLeavesNoTrace()
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["WARMUP_ASKS"] = Asks.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["LOG_LEVEL"] = "Information";
        });

        var ready = await ReadyAsync(host);
        using var cache = await host.Client.GetAsync(new Uri("/healthz/cache", UriKind.Relative));
        var cacheBody = await AgentApiHost.JsonAsync(cache);
        var metrics = await PrometheusScrape.ScrapeAsync(host.Client);
        var log = Callers.ReadLogs(host.LogDirectory, "agentapi.log");

        var warmUp = ready.GetProperty("checks").GetProperty("warm-up");
        Assert.Multiple(() =>
        {
            Assert.That(warmUp.GetProperty("status").GetString(), Is.EqualTo("healthy"));
            Assert.That(warmUp.GetProperty("sent").GetInt32(), Is.EqualTo(Asks), "every planned ask was sent and answered 200");
            Assert.That(warmUp.GetProperty("description").GetString(), Does.StartWith($"Warmed up: {Asks} asks in"));
            Assert.That(host.Gemini.CallCount, Is.Zero, "the orchestrator's provider was never called");
            Assert.That(host.OpenAI.CallCount, Is.Zero, "the executor's provider was never called");
            Assert.That(cacheBody.GetProperty("entries").GetInt64(), Is.Zero, "no warm-up answer is cached");
            Assert.That(cacheBody.GetProperty("misses").GetInt64(), Is.Zero, "no warm-up ask is counted as a lookup");
            // Labelled, not left out: every series of a warm-up ask says origin="warm-up", and a caller's have no such label.
            Assert.That(metrics.Sum("agentapi_asks_total", ("origin", "warm-up")), Is.EqualTo(Asks));
            Assert.That(metrics.Sum("agentapi_asks_total"), Is.EqualTo(Asks), "no ask without the label");
            Assert.That(metrics.Sum("agentapi_request_duration_seconds_count", ("route", "/api/ask"), ("origin", "warm-up")), Is.EqualTo(Asks));
            Assert.That(metrics.Sum("agentapi_request_duration_seconds_count", ("route", "/api/ask")), Is.EqualTo(Asks));
            Assert.That(metrics.Sum("agentapi_provider_duration_seconds_count", ("origin", "warm-up")), Is.EqualTo(2 * Asks));
            Assert.That(metrics.Sum("agentapi_provider_duration_seconds_count"), Is.EqualTo(2 * Asks));
            Assert.That(metrics.Sum("agentapi_tokens_total"), Is.EqualTo(metrics.Sum("agentapi_tokens_total", ("origin", "warm-up"))));
            Assert.That(metrics.Sum("agentapi_route_tokens_total"), Is.EqualTo(metrics.Sum("agentapi_route_tokens_total", ("origin", "warm-up"))));
            Assert.That(log, Does.Contain($"Warm-up: {Asks} asks through the ask path in"));
            Assert.That(log, Does.Not.Contain("/api/ask answered"), "a warm-up ask's summary line is at Debug, out of the start-up block");
            Assert.That(log, Does.Not.Contain("Orchestrator chose route"), "the lines written inside the cache's producer are left out too");
            Assert.That(log, Does.Not.Contain("Provider call"));
        });

        // The instance answers its first real ask from the providers, as a cold cache would; the warm-up's token,
        // should it ever leak, now marks nothing.
        using var request = Callers.Ask(new { query = "warm-up 0: what is the capital of France?" });
        request.Headers.Add(WarmUpState.HeaderName, host.Services.GetRequiredService<WarmUpState>().Token);
        using var response = await host.Client.SendAsync(request);
        var body = await AgentApiHost.JsonAsync(response);
        var after = await PrometheusScrape.ScrapeAsync(host.Client);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("cached").GetBoolean(), Is.False);
            Assert.That(body.GetProperty("answer").GetString(), Does.StartWith("echo: "), "the fake answered, not the canned reply");
            Assert.That(host.Gemini.CallCount, Is.EqualTo(1));
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(1));
            Assert.That(after.Sum("agentapi_asks_total") - after.Sum("agentapi_asks_total", ("origin", "warm-up")), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Start_WithWarmUpCallerKeysLimitsAndRedis_WarmUpPassesUnlimited_AndWritesNothingToRedis()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["WARMUP_ASKS"] = Asks.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["REDIS_URL"] = redis.Url;
            settings["AGENTAPI_API_KEYS"] = Callers.KeyA;
            settings["RATE_LIMIT_PER_MINUTE"] = "3";
            settings["TOKEN_BUDGET_PER_DAY"] = "1000000";
            settings["ALLOWED_HOSTS"] = "*.example.com;localhost;127.0.0.1";
        });

        var ready = await ReadyAsync(host);

        Assert.Multiple(async () =>
        {
            Assert.That(ready.GetProperty("checks").GetProperty("warm-up").GetProperty("sent").GetInt32(), Is.EqualTo(Asks),
                "40 asks against a limit of 3 a minute: the warm-up is no caller, and the Host it sends is an allowed one");
            Assert.That(await redis.CountKeysAsync(), Is.Zero, "no cached answer and no caller's counter in the shared tier");
            Assert.That(host.Gemini.CallCount + host.OpenAI.CallCount, Is.Zero);
        });

        // A caller still has the whole of its limit.
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await host.AskWithKeyAsync(new { query = $"question {i}" }, Callers.KeyA);
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"ask {i + 1} of 3");
        }

        using var refused = await host.AskWithKeyAsync(new { query = "question 3" }, Callers.KeyA);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    // The warm-up's canned successes must not fill the breaker's window: a provider outage that begins just after
    // start opens the circuit after as few failures as it would have without the warm-up.
    [Test]
    public async Task ExecutorFailingRightAfterTheWarmUp_OpensItsCircuitAsWithoutIt()
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["WARMUP_ASKS"] = Asks.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["CIRCUIT_BREAKER_MIN_CALLS"] = "2";
        });
        await ReadyAsync(host);
        var serverError = FakeResponse.Json(500, FakeOpenAIServer.ErrorBody("The server had an error", "server_error", null));
        host.OpenAI.Enqueue(serverError, serverError);

        using var ask = await host.AskAsync(new { query = "Trip the executor's breaker" });
        using var ready = await host.Client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        var executor = (await AgentApiHost.JsonAsync(ready)).GetProperty("checks").GetProperty("executor");

        Assert.Multiple(() =>
        {
            Assert.That(ask.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(executor.GetProperty("circuit").GetString(), Is.EqualTo("open"), $"two failures against {Asks} warm-up successes");
        });
    }

    [TestCase("0000000000000000000000000000000000000000000000000000000000000000")]
    [TestCase("")]
    [TestCase("true")]
    public async Task Ask_WithAWarmUpHeaderThatIsNotTheToken_IsAnOrdinaryAsk(string forged)
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["LOG_LEVEL"] = "Information");
        using var request = Callers.Ask(new { query = "what is the capital of France?" });
        request.Headers.TryAddWithoutValidation(WarmUpState.HeaderName, forged);

        using var response = await host.Client.SendAsync(request);
        var metrics = await PrometheusScrape.ScrapeAsync(host.Client);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(host.Gemini.CallCount, Is.EqualTo(1), "the providers were called");
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(1));
            Assert.That(metrics.Sum("agentapi_asks_total"), Is.EqualTo(1), "the ask is counted");
            Assert.That(Callers.ReadLogs(host.LogDirectory, "agentapi.log"), Does.Contain("POST /api/ask answered 200"));
        });
    }

    [Test]
    public async Task Start_WithWarmUpAndAKeyMissing_SkipsItAndSaysWhy()
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["WARMUP_ASKS"] = "10";
            settings["OPENAI_API_KEY"] = "";
            settings["LOG_LEVEL"] = "Information";
        });

        JsonElement warmUp = default;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await host.Client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
            warmUp = (await AgentApiHost.JsonAsync(response)).GetProperty("checks").GetProperty("warm-up");
            return warmUp.GetProperty("status").GetString() == "healthy";
        }, what: "the warm-up to end");

        Assert.Multiple(() =>
        {
            Assert.That(warmUp.GetProperty("sent").GetInt32(), Is.Zero);
            Assert.That(warmUp.GetProperty("description").GetString(), Does.StartWith("Skipped: a provider key is missing"));
            Assert.That(Callers.ReadLogs(host.LogDirectory, "agentapi.log"), Does.Contain("Warm-up skipped: a provider key is missing"));
        });
    }

    [Test]
    public void Readiness_WhileWarmingUp_IsUnhealthy_AndHealthyOnceItEnds()
    {
        var state = new WarmUpState();
        var check = new WarmUpReadinessCheck(state, Options.Create(new WarmUpOptions { Asks = 10 }));

        var during = check.CheckHealthAsync(new HealthCheckContext()).Result;
        state.Finish("Warmed up.");
        var after = check.CheckHealthAsync(new HealthCheckContext()).Result;

        Assert.Multiple(() =>
        {
            Assert.That(during.Status, Is.EqualTo(HealthStatus.Unhealthy), "readiness answers 503 while the instance warms up");
            Assert.That(during.Description, Does.StartWith("Warming up: 0 of 10 asks"));
            Assert.That(after.Status, Is.EqualTo(HealthStatus.Healthy));
        });
    }

    [Test]
    public void IsWarmUpRequest_OnlyTheTokenFromLoopbackOnAnAskWhileTheWarmUpRuns()
    {
        var state = new WarmUpState();
        var ask = new PathString("/api/ask");

        Assert.Multiple(() =>
        {
            Assert.That(state.IsWarmUpRequest(ask, state.Token, IPAddress.Loopback), Is.True);
            Assert.That(state.IsWarmUpRequest("/api/ask/stream", state.Token, IPAddress.IPv6Loopback), Is.True);
            Assert.That(state.IsWarmUpRequest("/v1/chat/completions", state.Token, IPAddress.Loopback), Is.False, "only the ask endpoints");
            Assert.That(state.IsWarmUpRequest("/metrics", state.Token, IPAddress.Loopback), Is.False);
            Assert.That(state.IsWarmUpRequest(ask, state.Token, IPAddress.Parse("10.0.0.7")), Is.False, "the token from another host");
            Assert.That(state.IsWarmUpRequest(ask, state.Token, remote: null), Is.False);
            Assert.That(state.IsWarmUpRequest(ask, new StringValues([state.Token, state.Token]), IPAddress.Loopback), Is.False);
            Assert.That(state.IsWarmUpRequest(ask, state.Token + "0", IPAddress.Loopback), Is.False);
            Assert.That(state.IsWarmUpRequest(ask, new string('é', 64), IPAddress.Loopback), Is.False);
            Assert.That(state.IsWarmUpRequest(ask, new WarmUpState().Token, IPAddress.Loopback), Is.False, "another instance's token");
        });

        state.Finish("Warmed up.");
        Assert.That(state.IsWarmUpRequest(ask, state.Token, IPAddress.Loopback), Is.False, "the token means nothing once the warm-up has ended");
    }

    [TestCase("http://127.0.0.1:8000", "http://127.0.0.1:8000/")]
    [TestCase("http://0.0.0.0:8000", "http://127.0.0.1:8000/")]
    [TestCase("http://[::]:8000", "http://[::1]:8000/")]
    [TestCase("http://[::1]:8000", "http://[::1]:8000/")]
    [TestCase("http://localhost:8000", "http://127.0.0.1:8000/")]
    [TestCase("http://+:8000", "http://127.0.0.1:8000/")]
    [TestCase("http://*:8000", "http://127.0.0.1:8000/")]
    [TestCase("http://10.0.0.5:8000", null)]
    [TestCase("https://127.0.0.1:8443", null)]
    [TestCase("http://unix:/tmp/agentapi.sock", null)]
    [TestCase("http://unixbox:8000", "http://127.0.0.1:8000/")]
    public void LoopbackAddress_OnlyAnAddressLoopbackReaches(string listening, string? expected)
    {
        Assert.That(WarmUpService.LoopbackAddress([listening])?.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void LoopbackAddress_SkipsAnOutsideAddressForALaterOneLoopbackReaches()
    {
        Assert.That(WarmUpService.LoopbackAddress(["http://10.0.0.5:8000", "http://127.0.0.1:9000"])?.ToString(), Is.EqualTo("http://127.0.0.1:9000/"));
    }

    [TestCase(null, "127.0.0.1:8000")]
    [TestCase("*", "127.0.0.1:8000")]
    [TestCase("api.example.com;localhost", "api.example.com")]
    [TestCase("*.example.com", "warm-up.example.com")]
    public void HostHeader_IsOneAllowedHostsLetsThrough(string? allowedHosts, string expected)
    {
        Assert.That(WarmUpService.HostHeader(allowedHosts, new Uri("http://127.0.0.1:8000/")), Is.EqualTo(expected));
    }

    /// <summary>Polls readiness until it answers 200, and returns that body.</summary>
    private static async Task<JsonElement> ReadyAsync(AgentApiHost host)
    {
        JsonElement body = default;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await host.Client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
            body = await AgentApiHost.JsonAsync(response);
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60), "readiness to turn 200 after the warm-up");
        return body;
    }
}
