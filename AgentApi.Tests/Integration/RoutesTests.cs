using System.Net;
using System.Text.Json;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>
/// An operator's route table (<c>ROUTES_FILE</c>) with three routes on two models: the orchestrator's
/// choice decides the executor model, instructions and limits, as the fake OpenAI server receives them.
/// </summary>
[TestFixture]
public sealed class RoutesTests
{
    private const string GeneralInstructions = "You are a helpful assistant.";
    private const string CodingInstructions = "You are a senior engineer. Answer with code.";
    private const string SmalltalkInstructions = "Be friendly and brief.";

    private const string Table = $$"""
        {
          // Comments and trailing commas are allowed.
          "routes": [
            { "name": "general", "default": true, "description": "Anything that fits no other route.",
              "instructions": "{{GeneralInstructions}}" },
            { "name": "coding", "description": "Writing, reviewing or debugging code.", "model": "gpt-4o",
              "instructions": "{{CodingInstructions}}", "maxOutputTokens": 3000, "temperature": 0.2 },
            { "name": "smalltalk", "description": "Greetings and chit-chat.", "model": "gpt-4o-mini",
              "instructions": "{{SmalltalkInstructions}}", "maxOutputTokens": 60, "temperature": 0.9 },
          ],
        }
        """;

    private string _directory = null!;
    private AgentApiHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _directory = Directory.CreateTempSubdirectory("agentapi-routes-").FullName;
        var file = Path.Combine(_directory, "routes.json");
        await File.WriteAllTextAsync(file, Table);
        _host = await AgentApiHost.StartAsync(
            settings =>
            {
                settings["ROUTES_FILE"] = file;
                settings["PRICE_TABLE"] = "gpt-4o=2.50/10.00";
                settings["LOG_LEVEL"] = "Information";
            },
            "gpt-4o-mini",
            "gpt-4o");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [SetUp]
    public void ResetFakes()
    {
        _host.ResetFakes();
        // The fake orchestrator chooses the route the query names: "route=coding: ...".
        _host.Gemini.Reply = prompt =>
        {
            var query = Plans.QueryIn(prompt);
            var route = query.StartsWith("route=", StringComparison.Ordinal) ? query["route=".Length..query.IndexOf(':', StringComparison.Ordinal)] : "general";
            return Plans.Json(route, $"Focused: {query}");
        };
    }

    [TestCase("coding", "gpt-4o", "gpt-4o-2024-08-06", CodingInstructions, 3000, 0.2)]
    [TestCase("smalltalk", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", SmalltalkInstructions, 60, 0.9)]
    [TestCase("general", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", GeneralInstructions, 2048, null)]
    public async Task Ask_OrchestratorChoosesARoute_ExecutorGetsThatRoutesModelInstructionsAndLimits(
        string route, string model, string reportedModel, string instructions, int maxTokens, double? temperature)
    {
        using var response = await _host.AskAsync(new { query = Queries.Unique($"route={route}: hello") });
        var body = await AgentApiHost.JsonAsync(response);
        var sent = SentToExecutor();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("route").GetString(), Is.EqualTo(route));
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.False);
            Assert.That(body.GetProperty("executor").GetProperty("model").GetString(), Is.EqualTo(reportedModel));
            Assert.That(sent.GetProperty("model").GetString(), Is.EqualTo(model));
            Assert.That(sent.GetProperty("messages")[0].GetProperty("role").GetString(), Is.EqualTo("system"));
            Assert.That(sent.GetProperty("messages")[0].GetProperty("content").GetString(), Is.EqualTo(instructions));
            Assert.That(sent.GetProperty("max_tokens").GetInt32(), Is.EqualTo(maxTokens));
            Assert.That(sent.TryGetProperty("temperature", out var t) ? t.GetDouble() : (double?)null, Is.EqualTo(temperature));
        });
    }

    [Test]
    public async Task Ask_OrchestratorChoosesAnUnknownRoute_DefaultRouteAnswers()
    {
        using var response = await _host.AskAsync(new { query = Queries.Unique("route=astrology: what does Mars mean for me") });
        var body = await AgentApiHost.JsonAsync(response);
        var sent = SentToExecutor();

        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("route").GetString(), Is.EqualTo("general"));
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.False, "the plan was usable; only its route was unknown");
            Assert.That(sent.GetProperty("model").GetString(), Is.EqualTo("gpt-4o-mini"));
            Assert.That(sent.GetProperty("messages")[0].GetProperty("content").GetString(), Is.EqualTo(GeneralInstructions));
        });
    }

    [Test]
    public async Task Ask_OrchestratorChoosesARouteSpelledLoosely_FindsIt()
    {
        using var response = await _host.AskAsync(new { query = Queries.Unique("route= Small_Talk: hi") });
        var body = await AgentApiHost.JsonAsync(response);

        Assert.That(body.GetProperty("route").GetString(), Is.EqualTo("smalltalk"));
    }

    [Test]
    public async Task Ask_OrchestratorFails_FallbackUsesTheDefaultRoute()
    {
        _host.Gemini.Reply = _ => "Not a plan, just prose.";

        using var response = await _host.AskAsync(new { query = Queries.Unique("route=coding: fix my loop") });
        var body = await AgentApiHost.JsonAsync(response);
        var sent = SentToExecutor();

        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("route").GetString(), Is.EqualTo("general"));
            Assert.That(sent.GetProperty("model").GetString(), Is.EqualTo("gpt-4o-mini"));
            Assert.That(sent.GetProperty("messages")[0].GetProperty("content").GetString(), Is.EqualTo(GeneralInstructions));
            Assert.That(sent.GetProperty("max_tokens").GetInt32(), Is.EqualTo(2048));
        });
    }

    [Test]
    public async Task Ask_AnyQuery_OrchestratorPromptListsEveryRouteByNameAndDescription()
    {
        using var response = await _host.AskAsync(new { query = Queries.Unique("what routes are there") });
        var prompt = _host.Gemini.Requests.Single(r => r.Method == "POST").Body;

        Assert.Multiple(() =>
        {
            Assert.That(prompt, Does.Contain("- general: Anything that fits no other route."));
            Assert.That(prompt, Does.Contain("- coding: Writing, reviewing or debugging code."));
            Assert.That(prompt, Does.Contain("- smalltalk: Greetings and chit-chat."));
            Assert.That(prompt, Does.Not.Contain(CodingInstructions), "instructions are the executor's, not the orchestrator's");
        });
    }

    [Test]
    public async Task GetRoutes_OperatorTable_ListsNameDescriptionModelAndDefaultButNoInstructions()
    {
        using var response = await _host.Client.GetAsync(new Uri("/api/routes", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        var routes = JsonDocument.Parse(text).RootElement.GetProperty("routes");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(string.Join(',', routes.EnumerateArray().Select(r => r.GetProperty("name").GetString())), Is.EqualTo("general,coding,smalltalk"));
            Assert.That(string.Join(',', routes.EnumerateArray().Select(r => r.GetProperty("model").GetString())), Is.EqualTo("gpt-4o-mini,gpt-4o,gpt-4o-mini"));
            Assert.That(string.Join(',', routes.EnumerateArray().Select(r => r.GetProperty("default").GetBoolean())), Is.EqualTo("True,False,False"));
            Assert.That(routes[1].GetProperty("description").GetString(), Is.EqualTo("Writing, reviewing or debugging code."));
            Assert.That(text, Does.Not.Contain("instructions").And.Not.Contain(CodingInstructions));
        });
    }

    [Test]
    public async Task Metrics_AsksOnTwoRoutes_CarryTheRouteAndTheModelCalled()
    {
        var before = await PrometheusScrape.ScrapeAsync(_host.Client);
        var coding = Queries.Unique("route=coding: write a sort");
        using var first = await _host.AskAsync(new { query = coding });
        var codingBody = await AgentApiHost.JsonAsync(first);
        using var again = await _host.AskAsync(new { query = coding });
        using var smalltalk = await _host.AskAsync(new { query = Queries.Unique("route=smalltalk: hi") });

        var after = await PrometheusScrape.ScrapeAsync(_host.Client);
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        var executor = codingBody.GetProperty("executor");
        var orchestrator = codingBody.GetProperty("orchestrator");
        var codingIn = executor.GetProperty("inputTokens").GetInt32();
        var codingOut = executor.GetProperty("outputTokens").GetInt32();

        Assert.Multiple(() =>
        {
            Assert.That(Delta("agentapi_asks_total", ("route", "coding"), ("cached", "false")), Is.EqualTo(1));
            Assert.That(Delta("agentapi_asks_total", ("route", "coding"), ("cached", "true")), Is.EqualTo(1));
            Assert.That(Delta("agentapi_asks_total", ("route", "smalltalk")), Is.EqualTo(1));
            Assert.That(Delta("agentapi_route_tokens_total", ("route", "coding"), ("type", "input")),
                Is.EqualTo(codingIn + orchestrator.GetProperty("inputTokens").GetInt32()), "both steps of the one produced answer; the cache hit cost nothing");
            Assert.That(Delta("agentapi_route_cost_usd_total", ("route", "coding")), Is.EqualTo(((codingIn * 2.50) + (codingOut * 10.00)) / 1e6).Within(1e-12),
                "gpt-4o at its price; the orchestrator (Gemma) is free");
            Assert.That(Delta("agentapi_route_cost_usd_total", ("route", "smalltalk")), Is.GreaterThan(0));
            Assert.That(Delta("agentapi_provider_duration_seconds_count", ("role", "executor"), ("model", "gpt-4o"), ("outcome", "success")), Is.EqualTo(1));
            Assert.That(Delta("agentapi_tokens_total", ("role", "executor"), ("model", "gpt-4o"), ("type", "output")), Is.EqualTo(codingOut));
            Assert.That(after.Text, Does.Not.Contain("route=\"astrology\""), "route labels come from the table only");
        });
    }

    [Test]
    public async Task Ask_Answered_SummaryLineNamesTheRouteAndTheModel()
    {
        const string requestId = "routes-summary-line-1";
        using var response = await _host.AskAsync(new { query = Queries.Unique("route=coding: explain recursion") }, requestId);
        NLog.LogManager.Flush();
        var lines = File.ReadAllLines(Path.Combine(_host.LogDirectory, "agentapi.log"));

        Assert.That(lines.Where(l => l.Contains($"[{requestId}]", StringComparison.Ordinal)),
            Has.Some.Contain("answered 200").And.Contain("route coding,").And.Contain("executor openai/gpt-4o-2024-08-06 tokens").And.Contain("models passed over none;"));
    }

    private JsonElement SentToExecutor()
    {
        using var document = JsonDocument.Parse(_host.OpenAI.Requests.Single(r => r.Method == "POST").Body);
        return document.RootElement.Clone();
    }
}
