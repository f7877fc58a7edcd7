using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentApi.Tests.Clients;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>
/// The real app on Kestrel with its executor on Anthropic's Messages API (protocol <c>anthropic</c>) at the Anthropic fake:
/// every door, buffered and streamed, with usage and cost, and a tool call round trip through <c>/v1</c>.
/// </summary>
[TestFixture]
public sealed class AnthropicExecutorTests
{
    private const string ChatCompletions = "/v1/chat/completions";
    private const string Model = FakeAnthropicServer.DefaultModel;
    private const string WeatherInput = """{"city":"Paris"}""";
    private const string WeatherTools = """[{"type":"function","function":{"name":"get_weather","description":"Gets the current weather in a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";

    private FakeAnthropicServer _anthropic = null!;
    private AgentApiHost _host = null!;
    private string _directory = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The route is on the routes file's "anthropic" provider; the built-in openai provider stays configured and unused.
        _anthropic = await FakeAnthropicServer.StartAsync();
        _directory = Directory.CreateTempSubdirectory("agentapi-anthropic-executor").FullName;
        var routes = Path.Combine(_directory, "routes.json");
        await File.WriteAllTextAsync(routes, $$"""
            { "providers": [ { "name": "anthropic", "protocol": "anthropic", "baseUrl": "{{_anthropic.BaseUrl}}", "apiKeyVariable": "ANTHROPIC_API_KEY" } ],
              "routes": [ { "name": "general", "default": true, "description": "Anything.", "instructions": "Be helpful.", "model": "anthropic/{{Model}}" } ] }
            """);
        try
        {
            _host = await AgentApiHost.StartAsync(settings =>
            {
                settings["ROUTES_FILE"] = routes;
                settings["ANTHROPIC_API_KEY"] = FakeAnthropicServer.DefaultApiKey;
            });
        }
        catch
        {
            await _anthropic.DisposeAsync();
            throw;
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _anthropic.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [SetUp]
    public void ResetFakes()
    {
        _host.ResetFakes();
        _anthropic.Reset();
        _anthropic.ToolArguments = null;
    }

    [Test]
    public async Task Ask_AnthropicExecutor_AnswersWithUsageAndCostOfClaude()
    {
        var query = Queries.Unique("What is the capital of France?");
        var before = await PrometheusScrape.ScrapeAsync(_host.Client);

        using var response = await _host.AskAsync(new { query });

        var body = await AgentApiHost.JsonAsync(response);
        var after = await PrometheusScrape.ScrapeAsync(_host.Client);
        var executor = body.GetProperty("executor");
        var input = executor.GetProperty("inputTokens").GetInt32();
        var output = executor.GetProperty("outputTokens").GetInt32();
        var sent = _anthropic.Requests.Single();
        var request = JsonNode.Parse(sent.Body)!;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(body.GetProperty("answer").GetString(), Does.StartWith("echo: Focused: " + query));
            Assert.That(executor.GetProperty("provider").GetString(), Is.EqualTo("anthropic"));
            Assert.That(executor.GetProperty("model").GetString(), Is.EqualTo("claude-haiku-4-5-20251001"));
            Assert.That(input, Is.GreaterThan(0));
            Assert.That(output, Is.EqualTo(CountWords(body.GetProperty("answer").GetString()!)), "Claude's output tokens (the fake counts words)");
            Assert.That(sent.Headers["x-api-key"], Is.EqualTo(FakeAnthropicServer.DefaultApiKey));
            Assert.That(sent.Headers["anthropic-version"], Is.EqualTo("2023-06-01"));
            Assert.That((string?)request["system"], Is.Not.Empty, "the route's instructions go in the top-level system");
            Assert.That((int?)request["max_tokens"], Is.GreaterThan(0));
            Assert.That(after.Sum("agentapi_cost_usd_total", ("role", "executor"), ("model", Model)) - before.Sum("agentapi_cost_usd_total", ("role", "executor"), ("model", Model)),
                Is.EqualTo(((input * 1.0) + (output * 5.0)) / 1e6).Within(1e-12), "claude-haiku-4-5 at $1 in and $5 out per million tokens");
        });
    }

    [Test]
    public async Task AskStream_AnthropicExecutor_StreamsTheTextAndEndsWithUsage()
    {
        var query = Queries.Unique("Stream the capital of Italy");
        _anthropic.Enqueue(FakeResponse.Streamed(new FakeStreaming { ChunkDelay = TimeSpan.FromMilliseconds(5) }));

        var events = new List<(string Event, JsonElement Data)>();
        await foreach (var item in AskStreamReader.ReadAskStreamAsync(_host.Client, new { query }))
        {
            events.Add(item);
        }

        var done = events[^1].Data;
        var executor = done.GetProperty("executor");
        var text = string.Concat(events.Where(e => e.Event == "delta").Select(e => e.Data.GetProperty("text").GetString()));
        Assert.Multiple(() =>
        {
            Assert.That(events[0].Event, Is.EqualTo("plan"));
            Assert.That(events[^1].Event, Is.EqualTo("done"));
            Assert.That(events.Count(e => e.Event == "delta"), Is.GreaterThan(1), "the answer arrives in pieces");
            Assert.That(text, Does.StartWith("echo: Focused: " + query));
            Assert.That(executor.GetProperty("provider").GetString(), Is.EqualTo("anthropic"));
            Assert.That(executor.GetProperty("outputTokens").GetInt32(), Is.EqualTo(CountWords(text)), "from message_delta's cumulative count");
            Assert.That((bool?)JsonNode.Parse(_anthropic.Requests.Single().Body)!["stream"], Is.True);
        });
    }

    [Test]
    public async Task ChatCompletions_AnthropicExecutor_AnswersWithUsage()
    {
        var question = Queries.Unique("What is the capital of Spain?");

        using var response = await PostAsync(new JsonObject { ["model"] = "agentapi", ["messages"] = new JsonArray(User(question)) });

        var body = await AgentApiHost.JsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), Does.StartWith("echo: "));
            Assert.That(body.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
            Assert.That(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), Is.GreaterThan(0));
            Assert.That(response.Headers.GetValues("x-agentapi-executor-model").Single(), Does.StartWith("claude-haiku-4-5"));
            Assert.That((string?)JsonNode.Parse(_anthropic.Requests.Single().Body)!["messages"]![0]!["content"]![0]!["text"], Does.Contain(question));
        });
    }

    [Test]
    public async Task ChatCompletions_StreamedWithUsage_RelaysClaudesTextAndTheUsageChunk()
    {
        var question = Queries.Unique("Stream the capital of Portugal");
        var body = new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(User(question)),
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
        };

        using var response = await PostAsync(body);

        var events = DataEvents(await response.Content.ReadAsStringAsync());
        var chunks = events.SkipLast(1).Select(e => JsonNode.Parse(e)!).ToList();
        var text = string.Concat(chunks.Select(chunk => chunk["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"]).OfType<JsonNode>().Select(piece => (string?)piece));
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(events[^1], Is.EqualTo("[DONE]"));
            Assert.That(text, Does.StartWith("echo: "));
            Assert.That((int?)chunks[^1]["usage"]!["completion_tokens"], Is.GreaterThanOrEqualTo(CountWords(text)), "both steps' output, Claude's counted from its stream");
            Assert.That((int?)chunks[^1]["usage"]!["total_tokens"], Is.EqualTo((int?)chunks[^1]["usage"]!["prompt_tokens"] + (int?)chunks[^1]["usage"]!["completion_tokens"]));
        });
    }

    [Test]
    public async Task ChatCompletions_ToolCallRoundTrip_ClaudeCallsThenAnswersTheResult()
    {
        _anthropic.ToolArguments = _ => WeatherInput;
        var question = Queries.Unique("What is the weather in Paris?");
        using var first = await PostAsync(new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(User(question)),
            ["tools"] = JsonNode.Parse(WeatherTools),
            ["parallel_tool_calls"] = false,
        });
        var firstBody = await AgentApiHost.JsonAsync(first);
        var called = firstBody.GetProperty("choices")[0].GetProperty("message");
        var call = called.GetProperty("tool_calls")[0];
        var callId = call.GetProperty("id").GetString()!;

        using var second = await PostAsync(new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(User(question), JsonNode.Parse(called.GetRawText()), new JsonObject { ["role"] = "tool", ["tool_call_id"] = callId, ["content"] = "21 degrees and sunny" }),
            ["tools"] = JsonNode.Parse(WeatherTools),
        });

        var answer = await AgentApiHost.JsonAsync(second);
        var sent = _anthropic.Requests.Select(r => JsonNode.Parse(r.Body)!).ToList();
        var replayed = sent[1]["messages"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), firstBody.ToString());
            Assert.That(firstBody.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), Is.EqualTo("tool_calls"));
            Assert.That(callId, Does.StartWith("toolu_"), "Claude's id, as the caller must send it back");
            Assert.That(call.GetProperty("function").GetProperty("name").GetString(), Is.EqualTo("get_weather"));
            Assert.That(call.GetProperty("function").GetProperty("arguments").GetString(), Is.EqualTo(WeatherInput));
            Assert.That(JsonNode.DeepEquals(sent[0]["tools"], JsonNode.Parse("""[{"name":"get_weather","description":"Gets the current weather in a city","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]""")), Is.True, sent[0]["tools"]?.ToJsonString());
            Assert.That(JsonNode.DeepEquals(sent[0]["tool_choice"], JsonNode.Parse("""{"type":"auto","disable_parallel_tool_use":true}""")), Is.True);

            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
            Assert.That(answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), Is.EqualTo("echo: 21 degrees and sunny"));
            Assert.That(answer.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
            Assert.That(replayed.Select(m => (string?)m!["role"]), Is.EqualTo((string[])["user", "assistant", "user"]));
            Assert.That(JsonNode.DeepEquals(replayed[1]!["content"], JsonNode.Parse($$$"""[{"type":"tool_use","id":"{{{callId}}}","name":"get_weather","input":{"city":"Paris"}}]""")), Is.True, replayed[1]!.ToJsonString());
            Assert.That(JsonNode.DeepEquals(replayed[2]!["content"], JsonNode.Parse($$"""[{"type":"tool_result","tool_use_id":"{{callId}}","content":"21 degrees and sunny"}]""")), Is.True, replayed[2]!.ToJsonString());
        });
    }

    [Test]
    public async Task ChatCompletions_StreamedToolCall_RelaysClaudesInputPiecesAsToolCallChunks()
    {
        _anthropic.ToolArguments = _ => WeatherInput;

        using var response = await PostAsync(new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(User(Queries.Unique("Stream a call for Paris"))),
            ["tools"] = JsonNode.Parse(WeatherTools),
            ["stream"] = true,
        });

        var events = DataEvents(await response.Content.ReadAsStringAsync());
        var choices = events.SkipLast(1).Select(e => JsonNode.Parse(e)!["choices"]![0]!).ToList();
        var pieces = choices.Select(choice => choice["delta"]!["tool_calls"]).OfType<JsonArray>().Select(calls => calls[0]!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(events[^1], Is.EqualTo("[DONE]"));
            Assert.That(pieces, Has.Count.GreaterThan(2), "the input comes in pieces");
            Assert.That((string?)pieces[0]["id"], Does.StartWith("toolu_"));
            Assert.That((string?)pieces[0]["function"]!["name"], Is.EqualTo("get_weather"));
            Assert.That(string.Concat(pieces.Select(p => (string?)p["function"]!["arguments"])), Is.EqualTo(WeatherInput));
            Assert.That((string?)choices[^1]["finish_reason"], Is.EqualTo("tool_calls"));
        });
    }

    [Test]
    public async Task Ask_AnthropicOverloaded_IsRetriedThenAnswered()
    {
        _anthropic.Enqueue(FakeAnthropicServer.Overloaded());

        using var response = await _host.AskAsync(new { query = Queries.Unique("Try again after 529") });

        var body = await AgentApiHost.JsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(body.GetProperty("executor").GetProperty("attempts").GetInt32(), Is.EqualTo(2));
            Assert.That(_anthropic.CallCount, Is.EqualTo(2));
        });
    }

    /// <summary>The fake's token count: whitespace-separated words.</summary>
    private static int CountWords(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static JsonObject User(string text) => new() { ["role"] = "user", ["content"] = text };

    private static List<string> DataEvents(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(e => e.StartsWith("data: ", StringComparison.Ordinal)).Select(e => e["data: ".Length..])];

    private Task<HttpResponseMessage> PostAsync(JsonNode body) =>
        _host.Client.PostAsync(ChatCompletions, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
}
