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
/// The real app with its executor on the Gemini protocol (gemini-2.5-flash at a second fake Gemini API): every door,
/// buffered and streamed, with usage and cost, a tool-call round trip and a JSON Schema answer through <c>/v1</c>.
/// </summary>
[TestFixture]
public sealed class GeminiExecutorTests
{
    private const string Model = "gemini-2.5-flash";
    private const string ExecutorKey = "test-gemini-executor-key";
    private const double InputPerMillion = 0.30;
    private const double OutputPerMillion = 2.50;
    private const string ChatCompletions = "/v1/chat/completions";
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""";

    private FakeGeminiServer _executor = null!;
    private AgentApiHost _host = null!;
    private string _directory = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The executor's route is on the routes file's "google" provider (the Gemini protocol); the orchestrator stays on GEMMA_*.
        _executor = await FakeGeminiServer.StartAsync(ExecutorKey, Model);
        _directory = Directory.CreateTempSubdirectory("agentapi-gemini-executor").FullName;
        var routes = Path.Combine(_directory, "routes.json");
        await File.WriteAllTextAsync(routes, $$"""
            { "providers": [ { "name": "google", "protocol": "gemini", "baseUrl": "{{_executor.BaseUrl}}", "apiKeyVariable": "GOOGLE_API_KEY" } ],
              "routes": [ { "name": "general", "default": true, "description": "Anything.", "instructions": "Be helpful.", "model": "google/{{Model}}" } ] }
            """);
        _host = await AgentApiHost.StartAsync(settings =>
        {
            settings["ROUTES_FILE"] = routes;
            settings["GOOGLE_API_KEY"] = ExecutorKey;
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _executor.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [SetUp]
    public void ResetFakes()
    {
        _host.ResetFakes();
        _executor.Reset();
        _executor.ToolArguments = null;
    }

    [Test]
    public async Task Ask_GeminiExecutor_AnswersWithItsUsageAndCost()
    {
        var before = await PrometheusScrape.ScrapeAsync(_host.Client);
        var query = Queries.Unique("What is a monad?");

        using var response = await _host.AskAsync(new { query });

        var body = await AgentApiHost.JsonAsync(response);
        var after = await PrometheusScrape.ScrapeAsync(_host.Client);
        var executor = body.GetProperty("executor");
        var input = executor.GetProperty("inputTokens").GetInt32();
        var output = executor.GetProperty("outputTokens").GetInt32();
        var sent = _executor.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(body.GetProperty("answer").GetString(), Does.StartWith("echo: ").And.Contain(query));
            Assert.That(executor.GetProperty("provider").GetString(), Is.EqualTo("google"));
            Assert.That(executor.GetProperty("model").GetString(), Is.EqualTo(Model));
            Assert.That(input, Is.GreaterThan(0));
            Assert.That(output, Is.EqualTo(body.GetProperty("answer").GetString()!.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length), "the fake counts words");
            Assert.That(sent.Path, Does.StartWith($"/v1beta/models/{Model}:").And.EndWith("enerateContent"));
            Assert.That(sent.QueryString, Does.Not.Contain("key"), "the key travels in a header");
            Assert.That(sent.Headers["x-goog-api-key"], Is.EqualTo(ExecutorKey));
            Assert.That(JsonNode.Parse(sent.Body)!["systemInstruction"], Is.Not.Null, "a Gemini model takes the route's instructions as a system instruction");
            Assert.That(after.Sum("agentapi_cost_usd_total", ("role", "executor"), ("model", Model)) - before.Sum("agentapi_cost_usd_total", ("role", "executor"), ("model", Model)),
                Is.EqualTo(((input * InputPerMillion) + (output * OutputPerMillion)) / 1e6).Within(1e-12));
        });
    }

    [Test]
    public async Task AskStream_GeminiExecutor_StreamsTheWordsAsTheyArriveThenDone()
    {
        _executor.Enqueue(FakeResponse.Streamed(new FakeStreaming { ChunkDelay = TimeSpan.FromMilliseconds(20) }));
        var query = Queries.Unique("Stream me an answer");

        var events = new List<(string Event, JsonElement Data)>();
        await foreach (var item in AskStreamReader.ReadAskStreamAsync(_host.Client, new { query }))
        {
            events.Add(item);
        }

        var deltas = events.Where(e => e.Event == "delta").Select(e => e.Data.GetProperty("text").GetString()).ToList();
        var done = events.Single(e => e.Event == "done").Data;
        Assert.Multiple(() =>
        {
            Assert.That(deltas, Has.Count.GreaterThan(1), "the provider's chunks arrive as several deltas");
            Assert.That(string.Concat(deltas), Does.StartWith("echo: ").And.Contain(query));
            Assert.That(done.GetProperty("executor").GetProperty("model").GetString(), Is.EqualTo(Model));
            Assert.That(done.GetProperty("executor").GetProperty("outputTokens").GetInt32(), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task AskStream_GeminiStreamCutAfterTheFirstWords_EndsWithAnErrorEvent()
    {
        // The delay lets the gateway read the first chunks before the reset, which would otherwise discard them unread.
        _executor.Enqueue(FakeResponse.Streamed(new FakeStreaming { CutAfter = 2, ChunkDelay = TimeSpan.FromMilliseconds(100) }));

        var events = new List<(string Event, JsonElement Data)>();
        await foreach (var item in AskStreamReader.ReadAskStreamAsync(_host.Client, new { query = Queries.Unique("Cut me off") }))
        {
            events.Add(item);
        }

        Assert.Multiple(() =>
        {
            Assert.That(events.Count(e => e.Event == "delta"), Is.EqualTo(2));
            Assert.That(events[^1].Event, Is.EqualTo("error"));
            Assert.That(events.Any(e => e.Event == "done"), Is.False);
        });
    }

    [Test]
    public async Task ChatCompletions_BufferedAndStreamed_AnswerWithUsage()
    {
        var question = Queries.Unique("Say hello");

        using var buffered = await PostAsync(new JsonObject { ["model"] = "agentapi", ["messages"] = new JsonArray(User(question)) });
        var answer = await AgentApiHost.JsonAsync(buffered);
        var streamed = await StreamAsync(new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(User(Queries.Unique("Say hello again"))),
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
        });

        var usage = streamed.Last(chunk => chunk["usage"] is JsonObject)["usage"]!;
        Assert.Multiple(() =>
        {
            Assert.That(buffered.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
            Assert.That(answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), Does.Contain(question));
            Assert.That(answer.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
            Assert.That(answer.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), Is.GreaterThan(0));
            Assert.That(streamed.Count(chunk => chunk["choices"] is JsonArray { Count: > 0 } choices && choices[0]!["delta"]?["content"] is not null), Is.GreaterThan(1));
            Assert.That((int?)usage["completion_tokens"], Is.GreaterThan(0));
            Assert.That((string?)streamed.Last(chunk => chunk["choices"] is JsonArray { Count: > 0 })["choices"]![0]!["finish_reason"], Is.EqualTo("stop"));
        });
    }

    [Test]
    public async Task ChatCompletions_ToolCallRoundTrip_CallsAndAnswersWithTheResult()
    {
        _executor.ToolArguments = _ => """{"city":"Paris"}""";
        var question = Queries.Unique("What is the weather in Paris?");
        var tools = JsonNode.Parse($$$"""[{"type":"function","function":{"name":"get_weather","description":"Gets the weather","parameters":{{{WeatherSchema}}},"strict":true}}]""")!;

        using var first = await PostAsync(new JsonObject { ["model"] = "agentapi", ["messages"] = new JsonArray(User(question)), ["tools"] = tools.DeepClone(), ["tool_choice"] = "required" });
        var called = (await AgentApiHost.JsonAsync(first)).GetProperty("choices")[0];
        var message = called.GetProperty("message");
        var call = message.GetProperty("tool_calls")[0];
        using var second = await PostAsync(new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(User(question), JsonNode.Parse(message.GetRawText()), new JsonObject { ["role"] = "tool", ["tool_call_id"] = call.GetProperty("id").GetString(), ["content"] = """{"temperature":21,"sky":"sunny"}""" }),
            ["tools"] = tools.DeepClone(),
        });

        var answer = await AgentApiHost.JsonAsync(second);
        var sent = _executor.Requests.Select(r => JsonNode.Parse(r.Body)!).ToList();
        var contents = sent[1]["contents"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(called.GetProperty("finish_reason").GetString(), Is.EqualTo("tool_calls"));
            Assert.That(call.GetProperty("id").GetString(), Does.Match("^call_[0-9a-f]{24}$"));
            Assert.That(call.GetProperty("function").GetProperty("name").GetString(), Is.EqualTo("get_weather"));
            Assert.That(call.GetProperty("function").GetProperty("arguments").GetString(), Is.EqualTo("""{"city":"Paris"}"""));
            Assert.That(sent[0]["tools"]![0]!["functionDeclarations"]![0]!["parametersJsonSchema"]!.ToJsonString(), Is.EqualTo(WeatherSchema));
            Assert.That((string?)sent[0]["toolConfig"]!["functionCallingConfig"]!["mode"], Is.EqualTo("ANY"));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
            Assert.That(contents.Select(c => (string?)c!["role"]), Is.EqualTo((string[])["user", "model", "user"]));
            Assert.That(contents[1]!["parts"]![0]!["functionCall"]!.ToJsonString(), Is.EqualTo("""{"name":"get_weather","args":{"city":"Paris"}}"""));
            Assert.That(contents[2]!["parts"]![0]!["functionResponse"]!.ToJsonString(), Is.EqualTo("""{"name":"get_weather","response":{"output":{"temperature":21,"sky":"sunny"}}}"""));
            Assert.That(answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), Is.EqualTo("""echo: {"temperature":21,"sky":"sunny"}"""));
            Assert.That(answer.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
        });
    }

    [Test]
    public async Task ChatCompletions_StreamedToolCall_RelaysTheWholeCallInOneChunk()
    {
        _executor.ToolArguments = _ => """{"city":"Rome"}""";
        var chunks = await StreamAsync(new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(User(Queries.Unique("Weather in Rome?"))),
            ["tools"] = JsonNode.Parse($$$"""[{"type":"function","function":{"name":"get_weather","parameters":{{{WeatherSchema}}}}}]"""),
            ["stream"] = true,
        });

        var calls = chunks.Where(c => c["choices"] is JsonArray { Count: > 0 } choices && choices[0]!["delta"]?["tool_calls"] is not null)
            .Select(c => c["choices"]![0]!["delta"]!["tool_calls"]![0]!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That((string?)calls[0]["id"], Does.Match("^call_[0-9a-f]{24}$"));
            Assert.That((string?)calls[0]["function"]!["name"], Is.EqualTo("get_weather"));
            Assert.That(string.Concat(calls.Select(c => (string?)c["function"]?["arguments"])), Is.EqualTo("""{"city":"Rome"}"""));
            Assert.That((string?)chunks.Last(c => c["choices"] is JsonArray { Count: > 0 })["choices"]![0]!["finish_reason"], Is.EqualTo("tool_calls"));
        });
    }

    [Test]
    public async Task ChatCompletions_JsonSchema_AnswersJsonOfTheSchema()
    {
        const string schema = """{"type":"object","properties":{"city":{"type":"string"},"country":{"type":"string"}},"required":["city","country"],"additionalProperties":false}""";
        var body = new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(User(Queries.Unique("Capital of France as JSON"))),
            ["response_format"] = JsonNode.Parse($$$"""{"type":"json_schema","json_schema":{"name":"capital","strict":true,"schema":{{{schema}}}}}"""),
        };

        using var response = await PostAsync(body);

        var answer = await AgentApiHost.JsonAsync(response);
        var content = JsonNode.Parse(answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!)!.AsObject();
        var config = JsonNode.Parse(_executor.Requests.Single().Body)!["generationConfig"]!;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
            Assert.That(content.Select(p => p.Key), Is.EqualTo((string[])["city", "country"]));
            Assert.That((string?)config["responseMimeType"], Is.EqualTo("application/json"));
            Assert.That(config["responseJsonSchema"]!.ToJsonString(), Is.EqualTo(schema));
        });
    }

    private static JsonObject User(string content) => new() { ["role"] = "user", ["content"] = content };

    private Task<HttpResponseMessage> PostAsync(JsonObject body) =>
        _host.Client.PostAsync(ChatCompletions, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    /// <summary>The <c>data:</c> chunks of a streamed <c>/v1</c> answer, <c>[DONE]</c> left out.</summary>
    private async Task<List<JsonNode>> StreamAsync(JsonObject body)
    {
        using var response = await PostAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return [.. text.Split('\n')
            .Where(line => line.StartsWith("data: ", StringComparison.Ordinal) && line != "data: [DONE]")
            .Select(line => JsonNode.Parse(line["data: ".Length..])!)];
    }
}
