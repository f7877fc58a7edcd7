using System.Net;
using System.Text.Json;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

[TestFixture]
public sealed class MetricsEndpointTests : HostedFixture
{
    private const double GptInputPerMillion = 0.15;
    private const double GptOutputPerMillion = 0.60;


    [Test]
    public async Task Metrics_AfterMissHitFallbackAndRetry_CountersMoveByTheRightAmounts()
    {
        var before = await PrometheusScrape.ScrapeAsync(Host.Client);
        var query = $"Metrics {Guid.NewGuid():N}";

        var produced = new List<JsonElement> { await AskOkAsync(query) };
        var hit = await AskOkAsync(query);
        Host.Gemini.Reply = _ => "Not a plan, just prose.";
        produced.Add(await AskOkAsync($"Fallback {Guid.NewGuid():N}"));
        Host.Gemini.Reply = Plans.EchoPlan;
        Host.OpenAI.Enqueue(FakeResponse.Json(503, FakeOpenAIServer.ErrorBody("The engine is currently overloaded", "server_error", null)));
        produced.Add(await AskOkAsync($"Retried {Guid.NewGuid():N}"));

        var after = await PrometheusScrape.ScrapeAsync(Host.Client);
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        int Tokens(string step, string type) => produced.Sum(body => body.GetProperty(step).GetProperty(type).GetInt32());
        var executorIn = Tokens("executor", "inputTokens");
        var executorOut = Tokens("executor", "outputTokens");

        Assert.Multiple(() =>
        {
            Assert.That(hit.GetProperty("cached").GetBoolean(), Is.True);
            Assert.That(produced[1].GetProperty("fallback").GetBoolean(), Is.True);
            Assert.That(Delta("agentapi_request_duration_seconds_count", ("route", "/api/ask"), ("status", "200")), Is.EqualTo(4));
            Assert.That(Delta("agentapi_cache_lookups_total", ("result", "hit")), Is.EqualTo(1));
            Assert.That(Delta("agentapi_cache_lookups_total", ("result", "miss")), Is.EqualTo(3));
            Assert.That(Delta("agentapi_cache_lookups_total", ("result", "coalesced")), Is.Zero);
            Assert.That(Delta("agentapi_provider_duration_seconds_count", ("role", "orchestrator"), ("provider", "gemini"), ("model", "gemma-3-1b-it"), ("outcome", "success")), Is.EqualTo(3),
                "the prose answer was a successful call; only its plan was unusable");
            Assert.That(Delta("agentapi_provider_duration_seconds_count", ("role", "executor"), ("provider", "openai"), ("model", "gpt-4o-mini"), ("outcome", "success")), Is.EqualTo(3));
            Assert.That(Delta("agentapi_provider_retries_total", ("role", "executor"), ("reason", "HTTP 503")), Is.EqualTo(1));
            Assert.That(Delta("agentapi_provider_retries_total", ("role", "orchestrator")), Is.Zero);
            Assert.That(Delta("agentapi_tokens_total", ("role", "executor"), ("type", "input")), Is.EqualTo(executorIn));
            Assert.That(Delta("agentapi_tokens_total", ("role", "executor"), ("type", "output")), Is.EqualTo(executorOut));
            Assert.That(Delta("agentapi_tokens_total", ("role", "orchestrator"), ("type", "input")), Is.EqualTo(Tokens("orchestrator", "inputTokens")));
            Assert.That(Delta("agentapi_tokens_total", ("role", "orchestrator"), ("type", "output")), Is.EqualTo(Tokens("orchestrator", "outputTokens")));
            Assert.That(Delta("agentapi_cost_usd_total", ("role", "executor"), ("model", "gpt-4o-mini")),
                Is.EqualTo(((executorIn * GptInputPerMillion) + (executorOut * GptOutputPerMillion)) / 1e6).Within(1e-12));
            Assert.That(after.Has("agentapi_cost_usd_total", ("role", "orchestrator")), Is.True, "Gemma is priced, at zero");
            Assert.That(Delta("agentapi_cost_usd_total", ("role", "orchestrator")), Is.Zero);
            Assert.That(after.Sum("agentapi_circuit_state", ("role", "executor"), ("provider", "openai")), Is.Zero);
            Assert.That(after.Has("agentapi_circuit_state", ("role", "orchestrator"), ("provider", "gemini")), Is.True);
        });
    }

    [Test]
    public async Task Metrics_ExecutorFailsEveryAttempt_RecordsFailureOutcomeRetriesAndStatusOnTheAskRoute()
    {
        var before = await PrometheusScrape.ScrapeAsync(Host.Client);
        var serverError = FakeResponse.Json(500, FakeOpenAIServer.ErrorBody("The server had an error", "server_error", null));
        Host.OpenAI.Enqueue(serverError, serverError, serverError);

        using var response = await Host.AskAsync(new { query = $"Failing {Guid.NewGuid():N}" });

        var after = await PrometheusScrape.ScrapeAsync(Host.Client);
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(Delta("agentapi_request_duration_seconds_count", ("route", "/api/ask"), ("status", "502")), Is.EqualTo(1),
                "the route survives the exception handler");
            Assert.That(Delta("agentapi_provider_duration_seconds_count", ("role", "executor"), ("outcome", "upstream_error")), Is.EqualTo(1));
            Assert.That(Delta("agentapi_provider_retries_total", ("role", "executor"), ("reason", "HTTP 500")), Is.EqualTo(2));
            Assert.That(Delta("agentapi_tokens_total", ("role", "executor")), Is.Zero);
        });
    }

    [Test]
    public async Task Metrics_FailingAsk_CountsTheLogEventsTheFileGetsByLevel()
    {
        var offset = LogFiles.Size(Host.LogDirectory, LogFiles.Text);
        var before = await PrometheusScrape.ScrapeAsync(Host.Client);
        var serverError = FakeResponse.Json(500, FakeOpenAIServer.ErrorBody("The server had an error", "server_error", null));
        Host.OpenAI.Enqueue(serverError, serverError, serverError);

        using var response = await Host.AskAsync(new { query = $"Logged {Guid.NewGuid():N}" });

        PrometheusScrape after = null!;
        Dictionary<string, int> lines = [];
        double Delta(string level) => after.Sum("agentapi_log_events_total", ("level", level)) - before.Sum("agentapi_log_events_total", ("level", level));
        await Eventually.TrueAsync(async () =>
        {
            after = await PrometheusScrape.ScrapeAsync(Host.Client);
            // "2026-12-06 14:38:22.2619Z WARN  [request id] …": the level is the third word.
            lines = LogFiles.ReadFrom(Host.LogDirectory, LogFiles.Text, offset).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .GroupBy(line => line.Split(' ')[2]).ToDictionary(group => group.Key, group => group.Count());
            return Delta("warning") == lines.GetValueOrDefault("WARN") && Delta("error") == lines.GetValueOrDefault("ERROR");
        }, what: "the counter matching the file's lines");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(Delta("warning"), Is.GreaterThanOrEqualTo(3), "each failed attempt and the failed ask are warnings");
            Assert.That(Delta("information"), Is.Zero, "LOG_LEVEL=Warning: events below it are neither written nor counted");
            Assert.That(lines.Keys, Is.All.EqualTo("WARN").Or.EqualTo("ERROR"));
        });
    }

    [Test]
    public async Task Metrics_Scrape_ServesPrometheusTextWithRuntimeMetricsAndNoPerRequestRoutes()
    {
        using var unknown = await Host.Client.GetAsync(new Uri($"/no/such/{Guid.NewGuid():N}", UriKind.Relative));
        using var response = await Host.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(text, Does.Contain("# TYPE agentapi_request_duration_seconds histogram"));
            Assert.That(text, Does.Contain("dotnet_gc_"), "the runtime's own meter is exported too");
            Assert.That(text, Does.Contain("route=\"unmatched\",status=\"404\""));
            Assert.That(text, Does.Not.Contain("/no/such/"), "raw paths never become labels");
        });
    }

    private async Task<JsonElement> AskOkAsync(string query)
    {
        using var response = await Host.AskAsync(new { query });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await AgentApiHost.JsonAsync(response);
    }
}
