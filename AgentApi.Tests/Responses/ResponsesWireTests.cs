using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Responses;

/// <summary>
/// <c>/v1/responses</c> on the wire, as any client sees it: the stream's named and numbered events, failures before and
/// after the stream started, incomplete answers, the cache, item references, input item pages, and every body it
/// refuses (a 400 naming the field, in OpenAI's shape, before any provider is called).
/// </summary>
[TestFixture]
public sealed class ResponsesWireTests : HostedFixture
{
    private static readonly string[] OpenAIErrorKeys = ["message", "type", "param", "code"];

    private const string Long = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty";

    [Test]
    public async Task Stream_EveryEvent_NamedByItsTypeNumberedInOrderFromCreatedToCompleted()
    {
        var events = await StreamAsync(new JsonObject { ["model"] = "agentapi", ["input"] = Queries.Unique("Stream on the wire"), ["stream"] = true });

        var types = events.Select(e => e.Data.GetProperty("type").GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Name), Is.EqualTo(types), "each event is named by its data's type");
            Assert.That(events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()), Is.EqualTo(Enumerable.Range(0, events.Count)));
            Assert.That(types.Take(4), Is.EqualTo((string[])["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]));
            Assert.That(types.TakeLast(4), Is.EqualTo((string[])["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"]));
            Assert.That(types.Skip(4).SkipLast(4), Is.All.EqualTo("response.output_text.delta"));
            Assert.That(events[0].Data.GetProperty("response").GetProperty("status").GetString(), Is.EqualTo("in_progress"));
            Assert.That(events[^1].Data.GetProperty("response").GetProperty("status").GetString(), Is.EqualTo("completed"));
        });
    }

    [Test]
    public async Task Stream_ExecutorFailsAfterTheFirstText_ResponseFailedAndErrorEventsThenTheConnectionIsCutAndNothingIsStored()
    {
        Host.OpenAI.Enqueue(FakeResponse.Streamed(new FakeStreaming { ErrorAfter = 3 }));

        var events = await StreamAsync(new JsonObject { ["model"] = "agentapi", ["input"] = Queries.Unique("Fail midway"), ["stream"] = true });

        var failed = events.Single(e => e.Name == "response.failed").Data.GetProperty("response");
        var error = events.Single(e => e.Name == "error").Data;
        using var retrieve = await Host.Client.GetAsync($"/v1/responses/{failed.GetProperty("id").GetString()}");
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Name), Does.Contain("response.output_text.delta"), "the failure came after the first text");
            Assert.That(events.Select(e => e.Name), Does.Not.Contain("response.completed"));
            Assert.That(events[^1].Name, Is.EqualTo("error"));
            Assert.That(failed.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(failed.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("provider_error"));
            Assert.That(error.GetProperty("code").GetString(), Is.EqualTo("provider_error"));
            Assert.That(error.GetProperty("error").GetProperty("type").GetString(), Is.EqualTo("server_error"), "the object the Node and Python SDKs raise on");
            Assert.That(retrieve.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a failed response is not stored");
        });
    }

    [Test]
    public async Task Create_ExecutorFailsEveryAttempt_502InOpenAIsShapeThatSaysNotToRetry()
    {
        Host.OpenAI.Enqueue(FakeOpenAIServer.ServerError(), FakeOpenAIServer.ServerError(), FakeOpenAIServer.ServerError());

        using var response = await PostAsync(new JsonObject { ["model"] = "agentapi", ["input"] = Queries.Unique("Fail before any text") });

        var error = (await AgentApiHost.JsonAsync(response)).GetProperty("error");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(error.GetProperty("type").GetString(), Is.EqualTo("server_error"));
            Assert.That(error.GetProperty("code").GetString(), Is.EqualTo("provider_error"));
            Assert.That(response.Headers.GetValues("x-should-retry").Single(), Is.EqualTo("false"));
        });
    }

    [Test]
    public async Task Create_ExecutorWithholdsTheAnswer_IncompleteForContentFilter()
    {
        Host.OpenAI.Enqueue(FakeResponse.Json(200, FakeOpenAIServer.SuccessBody("", "content_filter")));

        using var response = await PostAsync(new JsonObject { ["model"] = "agentapi", ["input"] = Queries.Unique("Something the filter blocks") });

        var body = await AgentApiHost.JsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("incomplete"));
            Assert.That(body.GetProperty("incomplete_details").GetProperty("reason").GetString(), Is.EqualTo("content_filter"));
            Assert.That(body.GetProperty("output").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task Create_OutputLimitReached_IncompleteForMaxOutputTokens()
    {
        Host.OpenAI.Reply = _ => Long + " " + Long;

        using var response = await PostAsync(new JsonObject { ["model"] = "agentapi", ["input"] = Queries.Unique("Write at length"), ["max_output_tokens"] = 16 });

        var body = await AgentApiHost.JsonAsync(response);
        var sent = JsonDocument.Parse(Host.OpenAI.Requests.Single(r => r.Method == "POST").Body).RootElement;
        var limit = sent.TryGetProperty("max_completion_tokens", out var value) ? value : sent.GetProperty("max_tokens");
        Assert.Multiple(() =>
        {
            Assert.That(limit.GetInt32(), Is.EqualTo(16));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("incomplete"));
            Assert.That(body.GetProperty("incomplete_details").GetProperty("reason").GetString(), Is.EqualTo("max_output_tokens"));
            Assert.That(body.GetProperty("output")[0].GetProperty("status").GetString(), Is.EqualTo("incomplete"));
            Assert.That(body.GetProperty("max_output_tokens").GetInt32(), Is.EqualTo(16));
        });
    }

    [Test]
    public async Task Create_SameInputTwice_SecondFromTheCacheAsANewResponseThatSpentNothing()
    {
        var body = new JsonObject { ["model"] = "agentapi", ["input"] = Queries.Unique("Cache me"), ["instructions"] = "Be brief." };

        using var first = await PostAsync(body);
        using var second = await PostAsync(body);

        var (one, two) = (await AgentApiHost.JsonAsync(first), await AgentApiHost.JsonAsync(second));
        Assert.Multiple(() =>
        {
            Assert.That(first.Headers.GetValues("x-agentapi-cache").Single(), Is.EqualTo("miss"));
            Assert.That(second.Headers.GetValues("x-agentapi-cache").Single(), Is.EqualTo("hit"));
            Assert.That(two.GetProperty("id").GetString(), Is.Not.EqualTo(one.GetProperty("id").GetString()));
            Assert.That(two.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString(),
                Is.EqualTo(one.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()));
            Assert.That(two.GetProperty("usage").GetProperty("total_tokens").GetInt32(), Is.Zero);
            Assert.That(two.GetProperty("instructions").GetString(), Is.EqualTo("Be brief."));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Create_ItemReferenceToAnEarlierAnswer_ExecutorGetsThatAnswerAsTheAssistantsTurn()
    {
        var question = Queries.Unique("Name a prime");
        using var first = await PostAsync(new JsonObject { ["model"] = "agentapi", ["input"] = question });
        var answer = (await AgentApiHost.JsonAsync(first)).GetProperty("output")[0];

        using var second = await PostAsync(new JsonObject
        {
            ["model"] = "agentapi",
            ["input"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = question },
                new JsonObject { ["type"] = "item_reference", ["id"] = answer.GetProperty("id").GetString() },
                new JsonObject { ["role"] = "user", ["content"] = "And another?" }),
        });

        var messages = JsonDocument.Parse(Host.OpenAI.Requests.Where(r => r.Method == "POST").Last().Body).RootElement.GetProperty("messages");
        Assert.Multiple(() =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK), second.Content.ReadAsStringAsync().Result);
            Assert.That(messages[2].GetProperty("role").GetString(), Is.EqualTo("assistant"));
            Assert.That(messages[2].GetProperty("content").GetString(), Is.EqualTo(answer.GetProperty("content")[0].GetProperty("text").GetString()));
        });
    }

    [Test]
    public async Task ListInputItems_ThreeItems_PagedNewestFirstByDefaultAndOldestFirstOnAsk()
    {
        using var created = await PostAsync(new JsonObject
        {
            ["model"] = "agentapi",
            ["input"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "first" },
                new JsonObject { ["role"] = "assistant", ["content"] = "second" },
                new JsonObject { ["role"] = "user", ["content"] = "third" }),
        });
        var id = (await AgentApiHost.JsonAsync(created)).GetProperty("id").GetString();

        var newest = await GetJsonAsync($"/v1/responses/{id}/input_items?limit=2");
        var rest = await GetJsonAsync($"/v1/responses/{id}/input_items?limit=2&after={newest.GetProperty("last_id").GetString()}");
        var oldest = await GetJsonAsync($"/v1/responses/{id}/input_items?order=asc&limit=2");

        Assert.Multiple(() =>
        {
            Assert.That(newest.GetProperty("object").GetString(), Is.EqualTo("list"));
            Assert.That(Texts(newest), Is.EqualTo((string[])["third", "second"]));
            Assert.That(newest.GetProperty("has_more").GetBoolean(), Is.True);
            Assert.That(Texts(rest), Is.EqualTo((string[])["first"]));
            Assert.That(rest.GetProperty("has_more").GetBoolean(), Is.False);
            Assert.That(Texts(oldest), Is.EqualTo((string[])["first", "second"]));
            Assert.That(oldest.GetProperty("data")[1].GetProperty("content")[0].GetProperty("type").GetString(), Is.EqualTo("output_text"), "an assistant message holds output text");
            Assert.That(oldest.GetProperty("first_id").GetString(), Does.StartWith("msg_"));
        });
    }

    [TestCase("""{"background":true}""", "background", "unsupported_parameter")]
    [TestCase("""{"tools":[{"type":"web_search"}]}""", "tools[0].type", "unsupported_tool_type")]
    [TestCase("""{"tools":[{"type":"function","name":"f","parameters":{"type":"object"}},{"type":"file_search","vector_store_ids":["vs_1"]}]}""", "tools[1].type", "unsupported_tool_type")]
    [TestCase("""{"tools":[{"type":"code_interpreter","container":{"type":"auto"}}]}""", "tools[0].type", "unsupported_tool_type")]
    [TestCase("""{"tools":[{"type":"mcp","server_label":"x","server_url":"https://example.com"}]}""", "tools[0].type", "unsupported_tool_type")]
    [TestCase("""{"tools":[{"type":"image_generation"}]}""", "tools[0].type", "unsupported_tool_type")]
    [TestCase("""{"tools":[{"type":"computer_use_preview","display_width":1,"display_height":1,"environment":"linux"}]}""", "tools[0].type", "unsupported_tool_type")]
    [TestCase("""{"tools":[{"type":"function","name":"f","parameters":{"type":"object"},"defer_loading":true}]}""", "tools[0].defer_loading", "unsupported_parameter")]
    [TestCase("""{"tools":[{"type":"function","name":"bad name!"}]}""", "tools[0].name", "invalid_value")]
    [TestCase("""{"tools":[{"type":"function","name":"f","strict":true,"parameters":{"type":"object","properties":{"a":{"type":"string"}}}}]}""", "tools[0].parameters", "invalid_function_parameters")]
    [TestCase("""{"tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"g"}}""", "tool_choice.name", "invalid_value")]
    [TestCase("""{"tool_choice":{"type":"web_search_preview"}}""", "tool_choice.type", "invalid_value")]
    [TestCase("""{"tool_choice":"required"}""", "tool_choice", "invalid_value")]
    [TestCase("""{"colour":"blue"}""", "colour", "unknown_parameter")]
    [TestCase("""{"text":{"format":{"type":"json_schema","name":"a"}}}""", "text.format.schema", "missing_required_parameter")]
    [TestCase("""{"text":{"format":{"type":"json_schema","schema":{"type":"object"}}}}""", "text.format.name", "missing_required_parameter")]
    [TestCase("""{"text":{"format":{"type":"json_schema","name":"a","strict":true,"schema":{"type":"object","properties":{"x":{"type":"string"}},"required":["x"]}}}}""", "text.format.schema", "invalid_json_schema")]
    [TestCase("""{"text":{"format":{"type":"yaml"}}}""", "text.format.type", "invalid_value")]
    [TestCase("""{"text":{"format":{"type":"json_object"}}}""", "input", "invalid_value")]
    [TestCase("""{"text":{"verbosity":"high"}}""", "text.verbosity", "unsupported_parameter")]
    [TestCase("""{"reasoning":{"effort":"high"}}""", "reasoning", "unsupported_parameter")]
    [TestCase("""{"conversation":"conv_123"}""", "conversation", "unsupported_parameter")]
    [TestCase("""{"include":["reasoning.encrypted_content"]}""", "include", "unsupported_parameter")]
    [TestCase("""{"max_output_tokens":8}""", "max_output_tokens", "invalid_value")]
    [TestCase("""{"temperature":3}""", "temperature", "invalid_value")]
    [TestCase("""{"metadata":{"topic":1}}""", "metadata.topic", "invalid_type")]
    [TestCase("""{"stream_options":{"include_obfuscation":false}}""", "stream_options", null)]
    [TestCase("""{"previous_response_id":"resp_00000000000000000000000000000000"}""", "previous_response_id", "previous_response_not_found")]
    [TestCase("""{"input":[]}""", "input", "empty_array")]
    [TestCase("""{"input":42}""", "input", "invalid_type")]
    [TestCase("""{"input":[{"role":"user","content":[{"type":"input_image","image_url":"https://example.com/a.png"}]}]}""", "input[0].content[0].type", "invalid_value")]
    [TestCase("""{"input":[{"role":"user","content":[{"type":"output_text","text":"x"}]}]}""", "input[0].content[0].type", "invalid_value")]
    [TestCase("""{"input":[{"role":"user","content":"hi","colour":1}]}""", "input[0].colour", "unknown_parameter")]
    [TestCase("""{"input":[{"role":"tool","content":"hi"}]}""", "input[0].role", "invalid_value")]
    [TestCase("""{"input":[{"type":"web_search_call","id":"ws_1","status":"completed"}]}""", "input[0].type", "invalid_value")]
    [TestCase("""{"input":[{"type":"reasoning","id":"rs_1","summary":[]}]}""", "input[0].type", "invalid_value")]
    [TestCase("""{"input":[{"type":"item_reference","id":"msg_00000000000000000000000000000000_0"}]}""", "input[0].id", "item_not_found")]
    [TestCase("""{"input":[{"role":"assistant","content":"hi"}]}""", "input", "invalid_value")]
    [TestCase("""{"input":[{"role":"user","content":"hi"},{"type":"function_call_output","call_id":"call_1","output":"x"}]}""", "input[1].type", "invalid_value")]
    [TestCase("""{"input":[{"role":"user","content":"hi"},{"type":"function_call","call_id":"call_1","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"call_2","output":"x"}]}""", "input[2].call_id", "invalid_value")]
    [TestCase("""{"input":[{"role":"user","content":"hi"},{"type":"function_call","call_id":"call_1","name":"f","arguments":"{}"},{"role":"user","content":"and?"}]}""", "input[1]", "invalid_value")]
    [TestCase("""{"input":[{"role":"user","content":"hi"},{"type":"function_call","call_id":"call_1","name":"f"}]}""", "input[1].arguments", "missing_required_parameter")]
    [TestCase("""{"input":[{"role":"user","content":"\u200b\u200c"}]}""", "input[0].content", "invalid_value")]
    [TestCase("""{"instructions":"\u200b"}""", "instructions", "invalid_value")]
    public async Task Create_RefusedBody_400NamingTheFieldInOpenAIsShapeAndNoProviderCalled(string members, string param, string? code)
    {
        var body = JsonNode.Parse(members)!.AsObject();
        body["model"] ??= "agentapi";
        body["input"] ??= Queries.Unique("Hello");

        using var response = await PostAsync(body);

        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        var error = document.RootElement.GetProperty("error");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
            Assert.That(error.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(OpenAIErrorKeys), text);
            Assert.That(error.GetProperty("type").GetString(), Is.EqualTo("invalid_request_error"), text);
            Assert.That(error.GetProperty("param").GetString(), Is.EqualTo(param), text);
            Assert.That(error.GetProperty("code").GetString(), Is.EqualTo(code), text);
            Assert.That(Host.Gemini.CallCount + Host.OpenAI.CallCount, Is.Zero, "no provider is called for a refused body");
        });
    }

    [Test]
    public async Task Create_FieldsAtTheValueThatAsksNothing_Accepted()
    {
        using var response = await PostAsync(JsonNode.Parse($$"""
            {"model":"agentapi","input":"{{Queries.Unique("Hello")}}","background":false,"include":[],"truncation":"auto","service_tier":"auto",
             "top_logprobs":0,"text":{"format":{"type":"text"},"verbosity":"medium"},"reasoning":null,"parallel_tool_calls":false,"store":true,
             "tool_choice":"none","metadata":{"topic":"greeting"},"user":"u-1","prompt_cache_key":null}
            """)!.AsObject());

        var body = await AgentApiHost.JsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(body.GetProperty("metadata").GetProperty("topic").GetString(), Is.EqualTo("greeting"));
            Assert.That(body.GetProperty("parallel_tool_calls").GetBoolean(), Is.False);
            Assert.That(body.GetProperty("tool_choice").GetString(), Is.EqualTo("none"));
            Assert.That(body.GetProperty("user").GetString(), Is.EqualTo("u-1"));
        });
    }

    [Test]
    public async Task Create_StoredResponsesOff_AnsweredWithStoreFalseAndNotKept()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["RESPONSES_TTL_SECONDS"] = "0");

        using var created = await host.Client.PostAsync("/v1/responses", new StringContent(
            new JsonObject { ["model"] = "agentapi", ["input"] = Queries.Unique("Keep nothing") }.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await AgentApiHost.JsonAsync(created);
        using var retrieve = await host.Client.GetAsync($"/v1/responses/{body.GetProperty("id").GetString()}");

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("store").GetBoolean(), Is.False, "the response says it was not stored");
            Assert.That(retrieve.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Create_UnknownModel_404ModelNotFound()
    {
        using var response = await PostAsync(new JsonObject { ["model"] = "gpt-4o", ["input"] = "Hello" });

        var error = (await AgentApiHost.JsonAsync(response)).GetProperty("error");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(error.GetProperty("code").GetString(), Is.EqualTo("model_not_found"));
        });
    }

    [Test]
    public async Task Create_AnyAsk_RequestMetricLabelsTheEndpoint()
    {
        using var response = await PostAsync(new JsonObject { ["model"] = "agentapi", ["input"] = Queries.Unique("Count me") });

        await Eventually.TrueAsync(
            async () => (await PrometheusScrape.ScrapeAsync(Host.Client)).Sum("agentapi_request_duration_seconds_count", ("route", "/v1/responses"), ("status", "200")) >= 1,
            TimeSpan.FromSeconds(10), "the request counted under route=\"/v1/responses\"");
    }

    private Task<HttpResponseMessage> PostAsync(JsonObject body) =>
        Host.Client.PostAsync("/v1/responses", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Host.Client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await AgentApiHost.JsonAsync(response);
    }

    private static List<string?> Texts(JsonElement page) =>
        [.. page.GetProperty("data").EnumerateArray().Select(item => item.GetProperty("content")[0].GetProperty("text").GetString())];

    /// <summary>The stream's events (name and data) as read until it ends, or until the connection is cut.</summary>
    private async Task<List<(string Name, JsonElement Data)>> StreamAsync(JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses") { Content = JsonContent.Create(body) };
        using var response = await Host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<(string Name, JsonElement Data)>();
        string? name = null;
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    Assert.That(name, Is.Not.Null, "every data line follows its event line");
                    using var data = JsonDocument.Parse(line["data: ".Length..]);
                    events.Add((name!, data.RootElement.Clone()));
                    name = null;
                }
            }
        }
        catch (Exception ex) when (ex is HttpIOException or IOException or HttpRequestException)
        {
            // A stream that failed after it started is cut after its last event.
        }

        return events;
    }
}
