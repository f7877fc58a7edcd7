using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatResponseFormat = OpenAI.Chat.ChatResponseFormat;
using OpenAIChatFinishReason = OpenAI.Chat.ChatFinishReason;

namespace AgentApi.Tests.OpenAICompatible;

/// <summary>
/// Agents through <c>/v1</c>: tool calls and structured outputs with the official .NET SDK, Microsoft.Extensions.AI's
/// function invocation and raw HTTP, against the real app and the fakes; what each provider received.
/// </summary>
[TestFixture]
public sealed class OpenAIToolTests : HostedFixture
{
    private const string ChatCompletions = "/v1/chat/completions";
    private const string WeatherArguments = """{"city":"Paris"}""";
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string","description":"The city"}},"required":["city"],"additionalProperties":false}""";
    private const string CapitalSchema = """{"type":"object","properties":{"city":{"type":"string"},"country":{"type":"string"}},"required":["city","country"],"additionalProperties":false}""";

    private static readonly string[] AgentLoopRoles = ["system", "user", "assistant", "tool"];

    [Test]
    public async Task GetResponse_UseFunctionInvocation_CallsTheCSharpFunctionAndAnswersWithItsResult()
    {
        Host.OpenAI.ToolArguments = _ => WeatherArguments;
        var cities = new List<string>();
        var getWeather = AIFunctionFactory.Create((string city) => Weather(cities, city), "get_weather", "Gets the current weather in a city");
        using var chat = new ChatClientBuilder(OpenAISdk.Chat(Host).AsIChatClient()).UseFunctionInvocation().Build();

        var response = await chat.GetResponseAsync(Queries.Unique("What is the weather in Paris?"), new ChatOptions { Tools = [getWeather] });

        var executorCalls = ExecutorRequests();
        var secondMessages = executorCalls[1]["messages"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(cities, Is.EqualTo((string[])["Paris"]), "the C# function ran once, with the model's arguments");
            Assert.That(response.Text, Does.Contain("It is 21 degrees and sunny in Paris."), "the answer uses the function's result");
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(1), "the tool-result turn made no orchestrator call");
            Assert.That(executorCalls, Has.Count.EqualTo(2));
            Assert.That(secondMessages.Select(m => (string?)m!["role"]), Is.EqualTo(AgentLoopRoles));
            Assert.That((string?)secondMessages[3]!["tool_call_id"], Is.EqualTo((string?)secondMessages[2]!["tool_calls"]![0]!["id"]), "the call's id is intact");
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse((string)secondMessages[2]!["tool_calls"]![0]!["function"]!["arguments"]!), JsonNode.Parse(WeatherArguments)), Is.True,
                "the arguments as the client sent them back (Microsoft.Extensions.AI re-indents them)");
        });
    }

    [Test]
    public async Task GetStreamingResponse_UseFunctionInvocation_CallsTheFunctionAndStreamsTheAnswer()
    {
        Host.OpenAI.ToolArguments = _ => WeatherArguments;
        var cities = new List<string>();
        var getWeather = AIFunctionFactory.Create((string city) => Weather(cities, city), "get_weather", "Gets the current weather in a city");
        using var chat = new ChatClientBuilder(OpenAISdk.Chat(Host).AsIChatClient()).UseFunctionInvocation().Build();

        var text = new StringBuilder();
        await foreach (var update in chat.GetStreamingResponseAsync(Queries.Unique("Stream me the weather in Paris"), new ChatOptions { Tools = [getWeather] }))
        {
            text.Append(update.Text);
        }

        Assert.Multiple(() =>
        {
            Assert.That(cities, Is.EqualTo((string[])["Paris"]));
            Assert.That(text.ToString(), Does.Contain("It is 21 degrees and sunny in Paris."));
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(1));
            Assert.That(ExecutorRequests().Select(r => (bool?)r["stream"]), Is.All.True);
        });
    }

    [Test]
    public async Task ChatCompletions_Tools_ExecutorGetsToolsAndMessagesVerbatimOrchestratorOnlyNamesAndDescriptions()
    {
        var question = Queries.Unique("What is the weather in Paris?");
        var tools = JsonNode.Parse($$$"""[{"type":"function","function":{"name":"get_weather","description":"Gets the current weather in a city","parameters":{{{WeatherSchema}}},"strict":true}}]""")!;
        var body = new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = "Be brief." }, new JsonObject { ["role"] = "user", ["content"] = question }),
            ["tools"] = tools,
            ["tool_choice"] = "required",
            ["parallel_tool_calls"] = false,
        };

        using var response = await PostAsync(body);

        var answer = await AgentApiHost.JsonAsync(response);
        var sent = ExecutorRequests().Single();
        var orchestrator = Host.Gemini.Requests.Single(r => r.Method == "POST").Body;
        var prompt = GeminiPrompt(orchestrator);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(answer.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), Is.EqualTo("tool_calls"));
            Assert.That(answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(answer.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString(), Is.EqualTo("get_weather"));
            Assert.That(JsonNode.DeepEquals(sent["tools"], tools), Is.True, "the tools reach the executor as sent: " + sent["tools"]);
            Assert.That((string?)sent["tool_choice"], Is.EqualTo("required"));
            Assert.That((bool?)sent["parallel_tool_calls"], Is.False);
            Assert.That((string?)sent["messages"]![1]!["content"], Is.EqualTo(question), "the caller's message, not the orchestrator's prompt");
            Assert.That((string?)sent["messages"]![0]!["content"], Does.Contain("Be brief.").And.Contain("Guidance from the router").And.Contain("Focused: " + question));
            Assert.That(Plans.InputIn(prompt).GetProperty("tools")[0].GetProperty("name").GetString(), Is.EqualTo("get_weather"));
            Assert.That(Plans.InputIn(prompt).GetProperty("tools")[0].GetProperty("description").GetString(), Is.EqualTo("Gets the current weather in a city"));
            Assert.That(orchestrator, Does.Not.Contain("properties").And.Not.Contain("additionalProperties").And.Not.Contain("\"tools\":[{\"type"), "no schema, no tool declaration");
            Assert.That(JsonNode.Parse(orchestrator)!.AsObject().Select(p => p.Key), Is.EquivalentTo((string[])["contents", "generationConfig"]), "no tools, toolConfig or response format for Gemma");
        });
    }

    [Test]
    public async Task ChatCompletions_ToolResultTurn_ContinuesOnTheRouteThatMadeTheCallWithoutTheOrchestrator()
    {
        Host.Gemini.Reply = prompt => Plans.Json("coding", "Focused: " + Plans.QueryIn(prompt));
        var question = Queries.Unique("Run the tests of my repository");
        var tools = JsonNode.Parse("""[{"type":"function","function":{"name":"run_tests","description":"Runs the test suite","parameters":{"type":"object","properties":{}}}}]""")!;
        using var first = await PostAsync(new JsonObject { ["model"] = "agentapi", ["messages"] = new JsonArray(User(question)), ["tools"] = tools.DeepClone() });
        var called = (await AgentApiHost.JsonAsync(first)).GetProperty("choices")[0].GetProperty("message");
        var callId = called.GetProperty("tool_calls")[0].GetProperty("id").GetString()!;

        using var second = await PostAsync(new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(User(question), JsonNode.Parse(called.GetRawText()), new JsonObject { ["role"] = "tool", ["tool_call_id"] = callId, ["content"] = "12 passed, 0 failed" }),
            ["tools"] = tools.DeepClone(),
        });

        var answer = await AgentApiHost.JsonAsync(second);
        var executor = ExecutorRequests();
        Assert.Multiple(() =>
        {
            Assert.That(first.Headers.GetValues("x-agentapi-route").Single(), Is.EqualTo("coding"));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
            Assert.That(second.Headers.GetValues("x-agentapi-route").Single(), Is.EqualTo("coding"), "the route that made the call");
            Assert.That(second.Headers.GetValues("x-agentapi-fallback").Single(), Is.EqualTo("false"));
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(1), "no orchestrator call for the tool result");
            Assert.That(answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), Is.EqualTo("echo: 12 passed, 0 failed"));
            Assert.That(answer.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
            Assert.That((string?)executor[1]["messages"]![0]!["content"], Does.Not.Contain("Guidance from the router"), "no new plan");
            Assert.That((string?)executor[1]["messages"]![3]!["tool_call_id"], Is.EqualTo(callId));
        });
    }

    [Test]
    public async Task ChatCompletions_ResultOfACallNotMadeHere_DefaultRouteAsAFallbackThatSaysWhy()
    {
        var messages = JsonNode.Parse($$$"""
            [{"role":"user","content":"{{{Queries.Unique("Weather?")}}}"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_never_made_here","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"call_never_made_here","content":"sunny"}]
            """)!;

        using var response = await PostAsync(new JsonObject { ["model"] = "agentapi", ["messages"] = messages });

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.GetValues("x-agentapi-route").Single(), Is.EqualTo("general"));
            Assert.That(response.Headers.GetValues("x-agentapi-fallback").Single(), Is.EqualTo("true"));
            Assert.That(response.Headers.GetValues("x-agentapi-fallback-reason").Single(), Does.Contain("tool call is not known"));
            Assert.That(Host.Gemini.CallCount, Is.Zero);
        });
    }

    [Test]
    public async Task ChatCompletions_SameToolTurnTwice_SecondIsACacheHitWithTheSameCall()
    {
        var body = new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(User(Queries.Unique("Weather in Rome?"))),
            ["tools"] = JsonNode.Parse($$$"""[{"type":"function","function":{"name":"get_weather","parameters":{{{WeatherSchema}}}}}]"""),
        };

        using var first = await PostAsync(body.DeepClone());
        using var second = await PostAsync(body.DeepClone());
        body["tool_choice"] = "auto";
        using var otherChoice = await PostAsync(body.DeepClone());

        var firstCall = (await AgentApiHost.JsonAsync(first)).GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];
        var secondCall = (await AgentApiHost.JsonAsync(second)).GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];
        Assert.Multiple(() =>
        {
            Assert.That(second.Headers.GetValues("x-agentapi-cache").Single(), Is.EqualTo("hit"));
            Assert.That(secondCall.GetProperty("id").GetString(), Is.EqualTo(firstCall.GetProperty("id").GetString()));
            Assert.That(otherChoice.Headers.GetValues("x-agentapi-cache").Single(), Is.EqualTo("miss"), "the tool choice is part of the key");
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task ChatCompletions_StreamedToolCall_RelaysOpenAIsToolCallChunks()
    {
        Host.OpenAI.ToolArguments = _ => WeatherArguments;
        var body = new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(User(Queries.Unique("Stream a call"))),
            ["tools"] = JsonNode.Parse($$$"""[{"type":"function","function":{"name":"get_weather","parameters":{{{WeatherSchema}}}}}]"""),
            ["stream"] = true,
        };

        using var response = await PostAsync(body);

        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal)).Select(e => e["data: ".Length..]).ToList();
        var deltas = events.SkipLast(1).Select(e => JsonNode.Parse(e)!["choices"]![0]!).ToList();
        var pieces = deltas.Select(choice => choice["delta"]!["tool_calls"]).OfType<JsonArray>().Select(calls => calls[0]!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(events[^1], Is.EqualTo("[DONE]"));
            Assert.That(pieces, Has.Count.GreaterThan(2), "the arguments come in pieces");
            Assert.That((int?)pieces[0]["index"], Is.Zero);
            Assert.That((string?)pieces[0]["id"], Does.StartWith("call_"));
            Assert.That((string?)pieces[0]["type"], Is.EqualTo("function"));
            Assert.That((string?)pieces[0]["function"]!["name"], Is.EqualTo("get_weather"));
            Assert.That(pieces.Skip(1).Select(p => p.AsObject().ContainsKey("id")), Is.All.False, "id, type and name on the first piece only");
            Assert.That(string.Concat(pieces.Select(p => (string?)p["function"]!["arguments"])), Is.EqualTo(WeatherArguments));
            Assert.That((string?)deltas[^1]["finish_reason"], Is.EqualTo("tool_calls"));
        });
    }

    [Test]
    public async Task CompleteChat_JsonSchemaFormat_AnswersJsonThatMatchesTheSchema()
    {
        var question = Queries.Unique("What is the capital of France?");
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("capital", BinaryData.FromString(CapitalSchema), jsonSchemaIsStrict: true) };

        var result = await OpenAISdk.Chat(Host).CompleteChatAsync([new UserChatMessage(question)], options);

        using var answer = JsonDocument.Parse(result.Value.Content[0].Text);
        var sent = ExecutorRequests().Single();
        var orchestrator = Host.Gemini.Requests.Single(r => r.Method == "POST").Body;
        Assert.Multiple(() =>
        {
            Assert.That(answer.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo((string[])["city", "country"]));
            Assert.That(answer.RootElement.EnumerateObject().Select(p => p.Value.ValueKind), Is.All.EqualTo(JsonValueKind.String));
            Assert.That(result.Value.FinishReason, Is.EqualTo(OpenAIChatFinishReason.Stop));
            Assert.That((string?)sent["response_format"]!["type"], Is.EqualTo("json_schema"));
            Assert.That((string?)sent["response_format"]!["json_schema"]!["name"], Is.EqualTo("capital"));
            Assert.That((bool?)sent["response_format"]!["json_schema"]!["strict"], Is.True);
            Assert.That(JsonNode.DeepEquals(sent["response_format"]!["json_schema"]!["schema"], JsonNode.Parse(CapitalSchema)), Is.True);
            Assert.That((string?)sent["messages"]![1]!["content"], Is.EqualTo(question));
            Assert.That(orchestrator, Does.Not.Contain("country").And.Not.Contain("json_schema").And.Not.Contain("responseSchema"), "the schema is the executor's only");
        });
    }

    [Test]
    public async Task CompleteChat_ExecutorRefuses_RefusalIsRelayed()
    {
        Host.OpenAI.Enqueue(FakeResponse.Json(200, FakeOpenAIServer.RefusalBody("I can't help with that.")));
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("capital", BinaryData.FromString(CapitalSchema), jsonSchemaIsStrict: true) };

        var result = await OpenAISdk.Chat(Host).CompleteChatAsync([new UserChatMessage(Queries.Unique("Something it refuses"))], options);

        Assert.Multiple(() =>
        {
            Assert.That(result.Value.Refusal, Is.EqualTo("I can't help with that."));
            Assert.That(result.Value.Content, Is.Empty);
            Assert.That(result.Value.FinishReason, Is.EqualTo(OpenAIChatFinishReason.Stop));
        });
    }

    [Test]
    public async Task ChatCompletions_StreamedRefusal_RelayedAsDeltaRefusal()
    {
        string[] events =
        [
            """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"role":"assistant","content":null,"refusal":""},"finish_reason":null}]}""",
            """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"refusal":"I can't"},"finish_reason":null}]}""",
            """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"refusal":" help with that."},"finish_reason":null}]}""",
            """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""",
            "[DONE]",
        ];
        Host.OpenAI.Enqueue(FakeResponse.EventStream(events, FakeStreaming.Normal));

        using var response = await PostAsync(new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(User(Queries.Unique("Something it refuses, streamed"))),
            ["response_format"] = JsonNode.Parse("""{"type":"json_schema","json_schema":{"name":"capital","schema":""" + CapitalSchema + ""","strict":true}}"""),
            ["stream"] = true,
        });

        var chunks = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e["data: ".Length..]).Where(e => e != "[DONE]").Select(e => JsonNode.Parse(e)!["choices"]![0]!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(string.Concat(chunks.Select(c => (string?)c["delta"]!["refusal"])), Is.EqualTo("I can't help with that."));
            Assert.That(chunks.Select(c => (string?)c["delta"]!["content"]).Where(text => !string.IsNullOrEmpty(text)), Is.Empty);
            Assert.That((string?)chunks[^1]["finish_reason"], Is.EqualTo("stop"));
        });
    }

    [Test]
    public async Task ChatCompletions_ToolCallAnswered_CountedByFinishReason()
    {
        var before = await PrometheusScrape.ScrapeAsync(Host.Client);
        using var response = await PostAsync(new JsonObject
        {
            ["model"] = "agentapi",
            ["messages"] = new JsonArray(User(Queries.Unique("Count my call"))),
            ["tools"] = JsonNode.Parse("""[{"type":"function","function":{"name":"lookup"}}]"""),
        });
        var after = await PrometheusScrape.ScrapeAsync(Host.Client);

        Assert.That(after.Sum("agentapi_asks_total", ("finish_reason", "tool_calls")) - before.Sum("agentapi_asks_total", ("finish_reason", "tool_calls")), Is.EqualTo(1));
    }

    [TestCase("""{"tools":[{"type":"function","function":{"description":"no name"}}]}""", "tools[0].function.name", "missing_required_parameter")]
    [TestCase("""{"tools":[{"type":"function","function":{"name":"bad name!"}}]}""", "tools[0].function.name", "invalid_value")]
    [TestCase("""{"tools":[{"type":"function","function":{"name":"f","parameters":"{}"}}]}""", "tools[0].function.parameters", "invalid_type")]
    [TestCase("""{"tools":[{"type":"function","function":{"name":"f","parameters":[]}}]}""", "tools[0].function.parameters", "invalid_type")]
    [TestCase("""{"tools":[{"type":"web_search"}]}""", "tools[0].type", "unsupported_tool_type")]
    [TestCase("""{"tools":[{"type":"function","function":{"name":"f"}},{"type":"file_search","file_search":{}}]}""", "tools[1].type", "unsupported_tool_type")]
    [TestCase("""{"tools":[{"type":"code_interpreter"}]}""", "tools[0].type", "unsupported_tool_type")]
    [TestCase("""{"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"g"}}}""", "tool_choice.function.name", "invalid_value")]
    [TestCase("""{"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"sometimes"}""", "tool_choice", "invalid_value")]
    [TestCase("""{"response_format":{"type":"json_schema","json_schema":{"schema":{"type":"object"}}}}""", "response_format.json_schema.name", "missing_required_parameter")]
    [TestCase("""{"response_format":{"type":"json_schema","json_schema":{"name":"answer"}}}""", "response_format.json_schema.schema", "missing_required_parameter")]
    [TestCase("""{"response_format":{"type":"json_schema"}}""", "response_format.json_schema", "missing_required_parameter")]
    [TestCase("""{"response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":true}}}""", "response_format.json_schema.schema", "invalid_type")]
    [TestCase("""{"response_format":{"type":"yaml"}}""", "response_format.type", "invalid_value")]
    [TestCase("""{"response_format":{"type":"json_schema","json_schema":{"name":"a","strict":true,"schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}}""", "response_format.json_schema.schema", "invalid_json_schema")]
    [TestCase("""{"response_format":{"type":"json_schema","json_schema":{"name":"a","strict":true,"schema":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"string"}},"required":["city"],"additionalProperties":false}}}}""", "response_format.json_schema.schema", "invalid_json_schema")]
    [TestCase("""{"tools":[{"type":"function","function":{"name":"f","strict":true,"parameters":{"type":"object","properties":{"a":{"type":"object","properties":{}}},"required":["a"],"additionalProperties":false}}}]}""", "tools[0].function.parameters", "invalid_function_parameters")]
    public async Task ChatCompletions_InvalidAgentFields_Answer400NamingTheParameter(string fields, string param, string code)
    {
        var body = JsonNode.Parse(fields)!.AsObject();
        body["model"] = "agentapi";
        body["messages"] = new JsonArray(User("What is the weather in json?"));

        using var response = await PostAsync(body);

        await AssertRefusedAsync(response, param, code);
    }

    [TestCase("""[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"call_1","content":"x"}]""", "messages[1].role")]
    [TestCase("""[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"call_2","content":"x"}]""", "messages[2].tool_call_id")]
    [TestCase("""[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}},{"id":"call_2","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"call_1","content":"x"}]""", "messages[1].tool_calls")]
    [TestCase("""[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"user","content":"and?"}]""", "messages[1].tool_calls")]
    [TestCase("""[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]}]""", "messages")]
    public async Task ChatCompletions_ToolMessageWithoutItsCall_Answers400NamingTheMessage(string messages, string param)
    {
        using var response = await PostAsync(new JsonObject { ["model"] = "agentapi", ["messages"] = JsonNode.Parse(messages) });

        await AssertRefusedAsync(response, param, "invalid_value");
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, string param, string code)
    {
        var error = (await AgentApiHost.JsonAsync(response)).GetProperty("error");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), error.ToString());
            Assert.That(error.GetProperty("type").GetString(), Is.EqualTo("invalid_request_error"));
            Assert.That(error.GetProperty("param").GetString(), Is.EqualTo(param));
            Assert.That(error.GetProperty("code").GetString(), Is.EqualTo(code));
            Assert.That(Host.Gemini.CallCount + Host.OpenAI.CallCount, Is.Zero, "no provider called");
        });
    }

    private static string Weather(List<string> cities, string city)
    {
        cities.Add(city);
        return $"It is 21 degrees and sunny in {city}.";
    }

    private static JsonObject User(string text) => new() { ["role"] = "user", ["content"] = text };

    private Task<HttpResponseMessage> PostAsync(JsonNode body) =>
        Host.Client.PostAsync(ChatCompletions, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    private List<JsonObject> ExecutorRequests() =>
        [.. Host.OpenAI.Requests.Where(r => r.Method == "POST").Select(r => JsonNode.Parse(r.Body)!.AsObject())];

    private static string GeminiPrompt(string body)
    {
        using var document = JsonDocument.Parse(body);
        var contents = document.RootElement.GetProperty("contents");
        return contents[contents.GetArrayLength() - 1].GetProperty("parts")[0].GetProperty("text").GetString()!;
    }
}
