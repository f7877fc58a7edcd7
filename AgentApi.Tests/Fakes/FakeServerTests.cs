using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentApi.Tests.Fakes;

[TestFixture]
public sealed class FakeServerTests
{
    private const string GemmaGenerate = "models/gemma-3-1b-it:generateContent";
    private const string HelloGemini = """{"contents":[{"role":"user","parts":[{"text":"Hello there"}]}]}""";
    private const string HelloOpenAI = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello there"}]}""";

    private static readonly string[] OpenAIErrorKeys = ["message", "type", "param", "code"];

    private FakeGeminiServer _gemini = null!;
    private FakeOpenAIServer _openAI = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartServers()
    {
        _gemini = await FakeGeminiServer.StartAsync();
        _openAI = await FakeOpenAIServer.StartAsync();
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    }

    [OneTimeTearDown]
    public async Task StopServers()
    {
        _http.Dispose();
        await _gemini.DisposeAsync();
        await _openAI.DisposeAsync();
    }

    [SetUp]
    public void ResetServers()
    {
        _gemini.Reset();
        _openAI.Reset();
    }

    [Test]
    public void BaseUrl_Started_IsLoopbackWithApiVersion()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_gemini.BaseUrl.ToString(), Does.Match(@"^http://127\.0\.0\.1:\d+/v1beta$"));
            Assert.That(_openAI.BaseUrl.ToString(), Does.Match(@"^http://127\.0\.0\.1:\d+/v1$"));
        });
    }

    [Test]
    public async Task GenerateContent_ValidRequest_ReturnsEchoWithUsage()
    {
        using var response = await PostGeminiAsync(HelloGemini);

        var json = await ReadJsonAsync(response);
        var candidate = json["candidates"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That((string?)candidate["content"]!["parts"]![0]!["text"], Is.EqualTo("echo: Hello there"));
            Assert.That((string?)candidate["content"]!["role"], Is.EqualTo("model"));
            Assert.That((string?)candidate["finishReason"], Is.EqualTo("STOP"));
            Assert.That((int?)candidate["index"], Is.Zero);
            Assert.That((int?)json["usageMetadata"]!["promptTokenCount"], Is.EqualTo(2));
            Assert.That((int?)json["usageMetadata"]!["candidatesTokenCount"], Is.EqualTo(3));
            Assert.That((int?)json["usageMetadata"]!["totalTokenCount"], Is.EqualTo(5));
            Assert.That((string?)json["modelVersion"], Is.EqualTo("gemma-3-1b-it"));
            Assert.That((string?)json["responseId"], Is.Not.Empty);
        });
    }

    [Test]
    public async Task GenerateContent_MultiTurnWithCustomReply_RepliesToLastUserTurn()
    {
        _gemini.Reply = text => text.ToUpperInvariant();
        const string body = """
            {"contents":[
              {"role":"user","parts":[{"text":"first"}]},
              {"role":"model","parts":[{"text":"answer"}]},
              {"role":"user","parts":[{"text":"second"},{"text":"part"}]}],
             "generation_config":{"temperature":0.2,"max_output_tokens":"64"}}
            """;

        using var response = await PostGeminiAsync(body);

        var json = await ReadJsonAsync(response);
        Assert.That((string?)json["candidates"]![0]!["content"]!["parts"]![0]!["text"], Is.EqualTo("SECOND\nPART"));
    }

    [Test]
    public async Task GenerateContent_AnswerLongerThanMaxOutputTokens_CutsWithMaxTokens()
    {
        _gemini.Reply = _ => "one two three four five";
        const string body = """{"contents":[{"parts":[{"text":"count"}]}],"generationConfig":{"maxOutputTokens":2}}""";

        using var response = await PostGeminiAsync(body);

        var json = await ReadJsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That((string?)json["candidates"]![0]!["content"]!["parts"]![0]!["text"], Is.EqualTo("one two"));
            Assert.That((string?)json["candidates"]![0]!["finishReason"], Is.EqualTo("MAX_TOKENS"));
        });
    }

    [Test]
    public async Task GenerateContent_WrongKey_Returns400ApiKeyInvalid()
    {
        using var response = await PostGeminiAsync(HelloGemini, apiKey: "wrong");

        var error = await AssertGeminiErrorAsync(response, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
        Assert.That((string?)error["details"]![0]!["reason"], Is.EqualTo("API_KEY_INVALID"));
    }

    [Test]
    public async Task GenerateContent_NoKey_Returns403PermissionDenied()
    {
        using var response = await PostGeminiAsync(HelloGemini, apiKey: null);

        await AssertGeminiErrorAsync(response, 403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers");
    }

    [Test]
    public async Task GenerateContent_KeyInQuery_AcceptedAndRecorded()
    {
        using var response = await PostGeminiAsync(HelloGemini, apiKey: null, path: GemmaGenerate + "?key=" + FakeGeminiServer.DefaultApiKey);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_gemini.Requests.Single().QueryString, Does.Contain("key="));
        });
    }

    [Test]
    public async Task GenerateContent_UnknownModel_Returns404NotFound()
    {
        using var response = await PostGeminiAsync(HelloGemini, path: "models/gemma-3-1b-itx:generateContent");

        await AssertGeminiErrorAsync(response, 404, "NOT_FOUND", "models/gemma-3-1b-itx is not found for API version v1beta");
    }

    [TestCase("{\"contents\": [", "Invalid JSON payload received.")]
    [TestCase("", "contents is not specified")]
    [TestCase("{}", "contents is not specified")]
    [TestCase("""{"contents":[]}""", "contents is not specified")]
    [TestCase("""{"contents":[{"role":"user","parts":[]}]}""", "contents[0].parts: contents.parts must not be empty")]
    [TestCase("""{"contents":[{"role":"user","parts":[{}]}]}""", "required oneof field 'data'")]
    [TestCase("""{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"temperature":0.5}""", "Unknown name \"temperature\": Cannot find field.")]
    [TestCase("""{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{"maxTokens":5}}""", "Unknown name \"maxTokens\" at 'generation_config'")]
    [TestCase("""{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{"temperature":"hot"}}""", "Invalid value at 'generation_config.temperature'")]
    [TestCase("""{"contents":"hi"}""", "Invalid value at 'contents'")]
    [TestCase("""{"contents":[{"role":"assistant","parts":[{"text":"hi"}]}]}""", "Please use a valid role: user, model.")]
    [TestCase("""{"contents":[{"role":"system","parts":[{"text":"hi"}]}]}""", "Please use a valid role: user, model.")]
    public async Task GenerateContent_InvalidBody_Returns400InvalidArgument(string body, string message)
    {
        using var response = await PostGeminiAsync(body);

        await AssertGeminiErrorAsync(response, 400, "INVALID_ARGUMENT", message);
    }

    [TestCase("""{"systemInstruction":{"parts":[{"text":"Be brief."}]}}""", "Developer instruction is not enabled for models/gemma-3-1b-it")]
    [TestCase("""{"systemInstruction":{"parts":[{"text":""}],"role":"model"}}""", "Developer instruction is not enabled for models/gemma-3-1b-it")]
    [TestCase("""{"system_instruction":{"parts":[{"text":"Be brief."}]}}""", "Developer instruction is not enabled for models/gemma-3-1b-it")]
    [TestCase("""{"generationConfig":{"responseMimeType":"application/json"}}""", "JSON mode is not enabled for models/gemma-3-1b-it")]
    [TestCase("""{"generationConfig":{"responseSchema":{"type":"OBJECT"}}}""", "JSON mode is not enabled for models/gemma-3-1b-it")]
    [TestCase("""{"generationConfig":{"responseJsonSchema":{"type":"object"}}}""", "JSON mode is not enabled for models/gemma-3-1b-it")]
    [TestCase("""{"tools":[{"functionDeclarations":[{"name":"f"}]}]}""", "Function calling is not enabled for models/gemma-3-1b-it")]
    [TestCase("""{"generationConfig":{"thinkingConfig":{"thinkingBudget":0}}}""", "Thinking budget is not supported")]
    public async Task GenerateContent_GemmaUnsupportedFeature_Returns400(string extraFields, string message)
    {
        var body = JsonNode.Parse(extraFields)!.AsObject();
        body["contents"] = JsonNode.Parse("""[{"role":"user","parts":[{"text":"hi"}]}]""");

        using var response = await PostGeminiAsync(body.ToJsonString());

        await AssertGeminiErrorAsync(response, 400, "INVALID_ARGUMENT", message);
    }

    [Test]
    public async Task GenerateContent_GemmaFeatureSetToNull_IsTreatedAsAbsent()
    {
        const string body = """{"contents":[{"parts":[{"text":"hi"}]}],"systemInstruction":null,"tools":null,"generationConfig":{"responseMimeType":"text/plain"}}""";

        using var response = await PostGeminiAsync(body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task GenerateContent_NonGemmaModel_AllowsSystemInstructionAndJsonMode()
    {
        await using var server = await FakeGeminiServer.StartAsync(FakeGeminiServer.DefaultApiKey, "gemini-2.5-flash");
        const string body = """{"systemInstruction":{"parts":[{"text":"Be brief."}]},"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"responseMimeType":"application/json"}}""";

        using var response = await PostGeminiAsync(body, path: "models/gemini-2.5-flash:generateContent", server: server);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task GenerateContent_PromptOverContextWindow_Returns400TokenCount()
    {
        var prompt = string.Join(' ', Enumerable.Repeat("w", 40_000));
        var body = new JsonObject { ["contents"] = new JsonArray(new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["text"] = prompt }) }) };

        using var response = await PostGeminiAsync(body.ToJsonString());

        await AssertGeminiErrorAsync(response, 400, "INVALID_ARGUMENT", "The input token count (40000) exceeds the maximum number of tokens allowed (32768).");
    }

    [Test]
    public async Task GeminiServer_UnknownPath_Returns404HtmlAndIsNotCounted()
    {
        using var response = await _http.GetAsync(new Uri($"{_gemini.BaseUrl}/models/gemma-3-1b-it:streamGenerateContent?alt=sse"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(_gemini.CallCount, Is.Zero);
            Assert.That(_gemini.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void GeminiHelpers_Bodies_HaveTheRealShape()
    {
        var success = JsonNode.Parse(FakeGeminiServer.SuccessBody("hi", "MAX_TOKENS", 3, 4))!;
        var error = JsonNode.Parse(FakeGeminiServer.ErrorBody(429, "RESOURCE_EXHAUSTED", "quota", "2s"))!["error"]!;
        var bare = JsonNode.Parse(FakeGeminiServer.ErrorBody(503, "UNAVAILABLE", "The model is overloaded. Please try again later."))!["error"]!.AsObject();
        var blocked = JsonNode.Parse(FakeGeminiServer.PromptBlockedBody())!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That((string?)success["candidates"]![0]!["content"]!["parts"]![0]!["text"], Is.EqualTo("hi"));
            Assert.That((string?)success["candidates"]![0]!["finishReason"], Is.EqualTo("MAX_TOKENS"));
            Assert.That((int?)success["usageMetadata"]!["totalTokenCount"], Is.EqualTo(7));
            Assert.That((int?)error["code"], Is.EqualTo(429));
            Assert.That((string?)error["status"], Is.EqualTo("RESOURCE_EXHAUSTED"));
            Assert.That((string?)error["details"]![0]!["@type"], Is.EqualTo("type.googleapis.com/google.rpc.RetryInfo"));
            Assert.That((string?)error["details"]![0]!["retryDelay"], Is.EqualTo("2s"));
            Assert.That(bare.ContainsKey("details"), Is.False);
            Assert.That(blocked.ContainsKey("candidates"), Is.False);
            Assert.That((string?)blocked["promptFeedback"]!["blockReason"], Is.EqualTo("SAFETY"));
        });
    }

    [Test]
    public async Task ChatCompletions_ValidRequest_ReturnsCompletionWithUsageAndHeaders()
    {
        const string body = """{"model":"gpt-4o-mini","messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":"Hello there"}],"max_completion_tokens":100,"temperature":0.2}""";

        using var response = await PostOpenAIAsync(body);

        var json = await ReadJsonAsync(response);
        var choice = json["choices"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)json["id"], Does.StartWith("chatcmpl-"));
            Assert.That((string?)json["object"], Is.EqualTo("chat.completion"));
            Assert.That((long?)json["created"], Is.GreaterThan(1_700_000_000));
            Assert.That((string?)json["model"], Does.StartWith("gpt-4o-mini"));
            Assert.That((string?)choice["message"]!["role"], Is.EqualTo("assistant"));
            Assert.That((string?)choice["message"]!["content"], Is.EqualTo("echo: Hello there"));
            Assert.That(choice["message"]!.AsObject().ContainsKey("refusal"), Is.True);
            Assert.That(choice["message"]!["annotations"], Is.InstanceOf<JsonArray>());
            Assert.That((string?)choice["finish_reason"], Is.EqualTo("stop"));
            Assert.That((int?)json["usage"]!["prompt_tokens"], Is.EqualTo(4));
            Assert.That((int?)json["usage"]!["completion_tokens"], Is.EqualTo(3));
            Assert.That((int?)json["usage"]!["total_tokens"], Is.EqualTo(7));
            Assert.That((int?)json["usage"]!["prompt_tokens_details"]!["cached_tokens"], Is.Zero);
            Assert.That((string?)json["service_tier"], Is.EqualTo("default"));
            Assert.That((string?)json["system_fingerprint"], Does.StartWith("fp_"));
            Assert.That(response.Headers.GetValues("x-request-id").Single(), Does.StartWith("req_"));
            Assert.That(response.Headers.GetValues("x-ratelimit-remaining-requests").Single(), Is.EqualTo("4999"));
            Assert.That(response.Headers.GetValues("x-ratelimit-reset-tokens").Single(), Is.EqualTo("9ms"));
        });
    }

    [Test]
    public async Task ChatCompletions_ContentParts_RepliesToTextParts()
    {
        const string body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}""";

        using var response = await PostOpenAIAsync(body);

        var json = await ReadJsonAsync(response);
        Assert.That((string?)json["choices"]![0]!["message"]!["content"], Is.EqualTo("echo: a\nb"));
    }

    [Test]
    public async Task ChatCompletions_Tools_CallsTheFirstToolInTheRealShape()
    {
        const string body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Weather?"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}}}}}]}""";

        using var response = await PostOpenAIAsync(body);

        var choice = (await ReadJsonAsync(response))["choices"]![0]!;
        var call = choice["message"]!["tool_calls"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)choice["finish_reason"], Is.EqualTo("tool_calls"));
            Assert.That(choice["message"]!["content"], Is.Null);
            Assert.That((string?)call["id"], Does.StartWith("call_"));
            Assert.That((string?)call["type"], Is.EqualTo("function"));
            Assert.That((string?)call["function"]!["name"], Is.EqualTo("get_weather"));
            Assert.That((string?)call["function"]!["arguments"], Is.EqualTo("""{"city":"example","days":1}"""), "a sample of the parameters' schema");
        });
    }

    [Test]
    public async Task ChatCompletions_ToolResult_RepliesToTheResult()
    {
        const string body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Weather?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},{"role":"tool","tool_call_id":"call_1","content":"sunny"}],"tools":[{"type":"function","function":{"name":"get_weather"}}]}""";

        using var response = await PostOpenAIAsync(body);

        var choice = (await ReadJsonAsync(response))["choices"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)choice["message"]!["content"], Is.EqualTo("echo: sunny"));
            Assert.That((string?)choice["finish_reason"], Is.EqualTo("stop"));
        });
    }

    [Test]
    public async Task ChatCompletions_JsonSchema_AnswersASampleOfTheSchema()
    {
        const string body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Capital?"}],"response_format":{"type":"json_schema","json_schema":{"name":"capital","strict":true,"schema":{"type":"object","properties":{"city":{"type":"string"},"tags":{"type":"array","items":{"type":"string","enum":["big"]}}},"required":["city","tags"],"additionalProperties":false}}}}""";

        using var response = await PostOpenAIAsync(body);

        var content = (string?)(await ReadJsonAsync(response))["choices"]![0]!["message"]!["content"];
        Assert.That(content, Is.EqualTo("""{"city":"echo: Capital?","tags":["big"]}"""));
    }

    [TestCase("""[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"call_1","content":"x"}]""", "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", "messages.[1].role")]
    [TestCase("""[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"user","content":"and?"}]""", "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: call_1", "messages.[1].role")]
    public async Task ChatCompletions_ToolMessageWithoutItsCall_Returns400AsTheRealApi(string messages, string message, string param)
    {
        using var response = await PostOpenAIAsync($$$"""{"model":"gpt-4o-mini","messages":{{{messages}}}}""");

        var error = (await ReadJsonAsync(response))["error"]!;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string?)error["message"], Is.EqualTo(message));
            Assert.That((string?)error["param"], Is.EqualTo(param));
            Assert.That(error["code"], Is.Null);
        });
    }

    [Test]
    public async Task ChatCompletions_StrictSchemaAllowingMoreProperties_Returns400InvalidJsonSchema()
    {
        const string body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"a","strict":true,"schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}}""";

        using var response = await PostOpenAIAsync(body);

        var error = (await ReadJsonAsync(response))["error"]!;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string?)error["code"], Is.EqualTo("invalid_json_schema"));
            Assert.That((string?)error["message"], Does.Contain("'additionalProperties' is required to be supplied and to be false"));
        });
    }

    [Test]
    public async Task ChatCompletions_StreamedToolCall_SendsIdAndNameFirstThenArgumentPieces()
    {
        _openAI.ToolArguments = _ => """{"city":"Paris"}""";
        const string body = """{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Weather?"}],"tools":[{"type":"function","function":{"name":"get_weather"}}]}""";

        using var response = await PostOpenAIAsync(body);

        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
        var pieces = events.SkipLast(1).Select(e => JsonNode.Parse(e)!["choices"]!.AsArray()).Where(c => c.Count > 0)
            .Select(c => c[0]!["delta"]!["tool_calls"]).OfType<JsonArray>().Select(calls => calls[0]!).ToList();
        _openAI.ToolArguments = null;
        Assert.Multiple(() =>
        {
            Assert.That((string?)pieces[0]["id"], Does.StartWith("call_"));
            Assert.That((string?)pieces[0]["function"]!["name"], Is.EqualTo("get_weather"));
            Assert.That(string.Concat(pieces.Select(p => (string?)p["function"]!["arguments"])), Is.EqualTo("""{"city":"Paris"}"""));
            Assert.That(pieces.Count, Is.GreaterThan(2));
            Assert.That(events[^1], Is.EqualTo("[DONE]"));
        });
    }

    [Test]
    public async Task ChatCompletions_AnswerLongerThanMaxCompletionTokens_CutsWithLength()
    {
        _openAI.Reply = _ => "one two three";
        const string body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"count"}],"max_completion_tokens":1}""";

        using var response = await PostOpenAIAsync(body);

        var json = await ReadJsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That((string?)json["choices"]![0]!["message"]!["content"], Is.EqualTo("one"));
            Assert.That((string?)json["choices"]![0]!["finish_reason"], Is.EqualTo("length"));
        });
    }

    [Test]
    public async Task ChatCompletions_NoAuthorization_Returns401()
    {
        using var response = await PostOpenAIAsync(HelloOpenAI, apiKey: null);

        await AssertOpenAIErrorAsync(response, 401, "invalid_request_error", null, "You didn't provide an API key.");
    }

    [Test]
    public async Task ChatCompletions_WrongKey_Returns401WithMaskedKey()
    {
        using var response = await PostOpenAIAsync(HelloOpenAI, apiKey: "sk-secret-wrong-key-1234");

        var error = await AssertOpenAIErrorAsync(response, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: sk-*****1234.");
        Assert.That((string?)error["message"], Does.Not.Contain("secret"));
    }

    [TestCase("{\"model\":", 400, null, null, "We could not parse the JSON body of your request.")]
    [TestCase("""{"messages":[{"role":"user","content":"hi"}]}""", 400, null, null, "you must provide a model parameter")]
    [TestCase("""{"model":"gpt-4o-mini"}""", 400, "missing_required_parameter", "messages", "Missing required parameter: 'messages'.")]
    [TestCase("""{"model":"gpt-4o-mini","messages":[]}""", 400, "empty_array", "messages", "Invalid 'messages': empty array.")]
    [TestCase("""{"model":"gpt-4o-mini","messages":[{"role":"model","content":"hi"}]}""", 400, "invalid_value", "messages[0].role", "Invalid value: 'model'.")]
    [TestCase("""{"model":"gpt-4o-mini","messages":[{"content":"hi"}]}""", 400, "missing_required_parameter", "messages[0].role", "Missing required parameter: 'messages[0].role'.")]
    [TestCase("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":{"text":"hi"}}]}""", 400, "invalid_type", "messages[0].content", "expected one of a string or array of objects, but got an object instead.")]
    [TestCase("""{"model":"gpt-4o-mini","messages":[{"role":"user"}]}""", 400, "missing_required_parameter", "messages[0].content", "Missing required parameter: 'messages[0].content'.")]
    [TestCase("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"top_k":3}""", 400, null, null, "Unrecognized request argument supplied: top_k")]
    [TestCase("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"low"}""", 400, null, null, "Unrecognized request argument supplied: reasoning_effort")]
    [TestCase("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}}""", 400, null, "stream_options", "The 'stream_options' parameter is only allowed when 'stream' is enabled.")]
    [TestCase("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":false,"stream_options":{"include_usage":true}}""", 400, null, "stream_options", "The 'stream_options' parameter is only allowed when 'stream' is enabled.")]
    [TestCase("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", 400, "invalid_type", "stream", "Invalid type for 'stream': expected a boolean, but got a string instead.")]
    [TestCase("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":"yes"}}""", 400, "invalid_type", "stream_options.include_usage", "Invalid type for 'stream_options.include_usage': expected a boolean, but got a string instead.")]
    [TestCase("""{"model":"gpt-5-nano","messages":[{"role":"user","content":"hi"}]}""", 404, "model_not_found", null, "The model `gpt-5-nano` does not exist or you do not have access to it.")]
    public async Task ChatCompletions_InvalidRequest_ReturnsOpenAIError(string body, int status, string? code, string? param, string message)
    {
        using var response = await PostOpenAIAsync(body);

        var error = await AssertOpenAIErrorAsync(response, status, "invalid_request_error", code, message);
        Assert.That((string?)error["param"], Is.EqualTo(param));
    }

    [Test]
    public async Task ChatCompletions_ReasoningEffortNull_IsAccepted()
    {
        const string body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"reasoning_effort":null,"stream":false}""";

        using var response = await PostOpenAIAsync(body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ChatCompletions_StreamWithIncludeUsage_SendsTheRealWireFormat()
    {
        const string body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello there"}],"stream":true,"stream_options":{"include_usage":true}}""";

        using var response = await PostOpenAIAsync(body);
        var text = await response.Content.ReadAsStringAsync();

        var blocks = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var chunks = blocks[..^1].Select(b => JsonNode.Parse(b["data: ".Length..])!.AsObject()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/event-stream; charset=utf-8"));
            Assert.That(blocks, Has.All.StartWith("data: "));
            Assert.That(blocks[^1], Is.EqualTo("data: [DONE]"));
            Assert.That(chunks.Select(c => (string?)c["object"]), Has.All.EqualTo("chat.completion.chunk"));
            Assert.That(chunks.Select(c => (string?)c["id"]).Distinct().Count(), Is.EqualTo(1));
            Assert.That((string?)chunks[0]["choices"]![0]!["delta"]!["role"], Is.EqualTo("assistant"));
            Assert.That((string?)chunks[0]["choices"]![0]!["delta"]!["content"], Is.Empty);
            Assert.That(string.Concat(chunks[1..^2].Select(c => (string?)c["choices"]![0]!["delta"]!["content"])), Is.EqualTo("echo: Hello there"));
            Assert.That((string?)chunks[^2]["choices"]![0]!["finish_reason"], Is.EqualTo("stop"));
            Assert.That(chunks[^2]["choices"]![0]!["delta"]!.AsObject(), Is.Empty);
            Assert.That(chunks[..^1].Select(c => c.ContainsKey("usage") && c["usage"] is null), Has.All.True, "usage: null on every chunk but the last");
            Assert.That(chunks[^1]["choices"]!.AsArray(), Is.Empty);
            Assert.That((int?)chunks[^1]["usage"]!["completion_tokens"], Is.EqualTo(3));
            Assert.That((int?)chunks[^1]["usage"]!["total_tokens"], Is.EqualTo(5));
        });
    }

    [Test]
    public async Task ChatCompletions_StreamWithoutIncludeUsage_SendsNoUsageField()
    {
        using var response = await PostOpenAIAsync("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello there"}],"stream":true}""");
        var text = await response.Content.ReadAsStringAsync();

        var chunks = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[..^1].Select(b => JsonNode.Parse(b["data: ".Length..])!.AsObject()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(chunks.Select(c => c.ContainsKey("usage")), Has.All.False);
            Assert.That((string?)chunks[^1]["choices"]![0]!["finish_reason"], Is.EqualTo("stop"));
        });
    }

    [Test]
    public async Task ChatCompletions_ScriptedStreamFaults_BreakTheStreamAsScripted()
    {
        const string body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"one two three four"}],"stream":true,"stream_options":{"include_usage":true}}""";
        _openAI.Enqueue(
            FakeResponse.Streamed(new FakeStreaming { OmitDone = true }),
            FakeResponse.Streamed(new FakeStreaming { ErrorAfter = 2 }),
            FakeResponse.Streamed(new FakeStreaming { MalformedAfter = 1 }),
            FakeResponse.Streamed(new FakeStreaming { CutAfter = 2 }));

        using var noDone = await PostOpenAIAsync(body);
        var noDoneText = await noDone.Content.ReadAsStringAsync();
        using var inBand = await PostOpenAIAsync(body);
        var inBandText = await inBand.Content.ReadAsStringAsync();
        using var malformed = await PostOpenAIAsync(body);
        var malformedBlocks = (await malformed.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(noDoneText, Does.Not.Contain("[DONE]").And.Contain("\"usage\":{"));
            Assert.That(inBandText.Split("\n\n", StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(3));
            Assert.That(inBandText, Does.EndWith("data: {\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"));
            Assert.That(() => JsonNode.Parse(malformedBlocks[1]["data: ".Length..]), Throws.InstanceOf<System.Text.Json.JsonException>());
            Assert.That(malformedBlocks[^1], Is.EqualTo("data: [DONE]"));
            Assert.That(async () => (await PostOpenAIAsync(body)).Dispose(), Throws.InstanceOf<HttpRequestException>(), "the connection drops mid-body");
            Assert.That(_openAI.CompletedStreams, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task ChatCompletions_StreamPausedBeforeTheUsageChunk_SendsTheWholeTextThenWaits()
    {
        const string body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello there"}],"stream":true,"stream_options":{"include_usage":true}}""";
        var pause = TimeSpan.FromMilliseconds(500);

        // The role chunk, "echo:", " Hello", " there" and the finish chunk: the usage chunk is the sixth event (5).
        _openAI.Enqueue(FakeResponse.Streamed(new FakeStreaming { PauseBefore = 5, Pause = pause }));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{_openAI.BaseUrl}/chat/completions"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FakeOpenAIServer.DefaultApiKey);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var watch = Stopwatch.StartNew();
        var arrivals = new List<(string Data, TimeSpan At)>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                arrivals.Add((line["data: ".Length..], watch.Elapsed));
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(arrivals, Has.Count.EqualTo(7));
            Assert.That(arrivals[5].Data, Does.Contain("\"usage\":{"));
            Assert.That(arrivals[5].At - arrivals[4].At, Is.GreaterThanOrEqualTo(pause - TimeSpan.FromMilliseconds(50)), "the pause comes before the usage chunk");
            Assert.That(arrivals[4].At - arrivals[0].At, Is.LessThan(pause), "and only there");
            Assert.That(arrivals[6].Data, Is.EqualTo("[DONE]"));
        });
    }

    [Test]
    public async Task ChatCompletions_StreamedScriptForABufferedRequest_AnswersTheBufferedCompletion()
    {
        _openAI.Enqueue(FakeResponse.Streamed(new FakeStreaming { CutAfter = 1 }));

        using var response = await PostOpenAIAsync(HelloOpenAI);
        var json = await ReadJsonAsync(response);

        Assert.That((string?)json["object"], Is.EqualTo("chat.completion"));
    }

    [Test]
    public async Task OpenAIServer_UnknownPath_Returns404InvalidUrlAndIsNotCounted()
    {
        using var content = new StringContent(HelloOpenAI, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri($"{_openAI.BaseUrl}/completions"), content);

        await AssertOpenAIErrorAsync(response, 404, "invalid_request_error", null, "Invalid URL (POST /v1/completions)");
        Assert.That(_openAI.CallCount, Is.Zero);
    }

    [Test]
    public void OpenAIHelpers_Bodies_HaveTheRealShape()
    {
        var success = JsonNode.Parse(FakeOpenAIServer.SuccessBody("hi", "length", 5, 6))!;
        var error = JsonNode.Parse(FakeOpenAIServer.ErrorBody("Rate limit reached", "tokens", "rate_limit_exceeded"))!["error"]!.AsObject();
        var empty = JsonNode.Parse(FakeOpenAIServer.EmptyChoicesBody())!;

        Assert.Multiple(() =>
        {
            Assert.That((string?)success["choices"]![0]!["message"]!["content"], Is.EqualTo("hi"));
            Assert.That((string?)success["choices"]![0]!["finish_reason"], Is.EqualTo("length"));
            Assert.That((int?)success["usage"]!["total_tokens"], Is.EqualTo(11));
            Assert.That(error.Select(p => p.Key), Is.EqualTo(OpenAIErrorKeys));
            Assert.That(error["param"], Is.Null);
            Assert.That((string?)error["code"], Is.EqualTo("rate_limit_exceeded"));
            Assert.That(empty["choices"]!.AsArray(), Is.Empty);
            Assert.That((string?)empty["object"], Is.EqualTo("chat.completion"));
        });
    }

    [Test]
    public async Task Enqueue_SeveralResponses_ServedInOrderThenNormal()
    {
        _openAI.Enqueue(
            FakeResponse.Json(429, FakeOpenAIServer.ErrorBody("Rate limit reached", "tokens", "rate_limit_exceeded"), ("Retry-After", "2")),
            FakeResponse.Json(503, FakeOpenAIServer.ErrorBody("The engine is currently overloaded", "server_error", null)));

        using var first = await PostOpenAIAsync(HelloOpenAI);
        using var second = await PostOpenAIAsync(HelloOpenAI);
        using var third = await PostOpenAIAsync(HelloOpenAI);

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(first.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_openAI.CallCount, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Enqueue_ScriptedResponse_SkipsValidation()
    {
        _gemini.Enqueue(FakeResponse.Json(200, FakeGeminiServer.SuccessBody("scripted")));

        using var response = await PostGeminiAsync("not json", apiKey: "wrong");

        var json = await ReadJsonAsync(response);
        Assert.That((string?)json["candidates"]![0]!["content"]!["parts"]![0]!["text"], Is.EqualTo("scripted"));
    }

    [Test]
    public async Task Enqueue_Default_RunsNormalValidation()
    {
        _gemini.Enqueue(FakeResponse.Default);

        using var response = await PostGeminiAsync(HelloGemini, apiKey: "wrong");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Raw_HtmlWith200_IsServedVerbatim()
    {
        _gemini.Enqueue(FakeResponse.Raw(200, "text/html", "<html>proxy login</html>"));

        using var response = await PostGeminiAsync(HelloGemini);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("<html>proxy login</html>"));
        });
    }

    [Test]
    public async Task Delayed_ThenJson_AnswersAfterTheDelay()
    {
        _openAI.Enqueue(FakeResponse.Delayed(TimeSpan.FromMilliseconds(200), FakeResponse.Default));
        var stopwatch = Stopwatch.StartNew();

        using var response = await PostOpenAIAsync(HelloOpenAI);

        Assert.Multiple(() =>
        {
            Assert.That(stopwatch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(180)));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Hang_ClientTimesOut_ThrowsAndDisposeIsFast()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeResponse.Hang());
        using var client = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };

        Assert.That(async () => await PostOpenAIAsync(HelloOpenAI, server: server, client: client), Throws.InstanceOf<TaskCanceledException>());
        var stopwatch = Stopwatch.StartNew();
        await server.DisposeAsync();

        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task Hang_DisposedWhileRequestPending_DisposesFastAndClientFails()
    {
        await using var server = await FakeGeminiServer.StartAsync();
        server.Enqueue(FakeResponse.Hang());
        var pending = PostGeminiAsync(HelloGemini, server: server);
        await WaitUntilAsync(() => server.CallCount == 1);

        var stopwatch = Stopwatch.StartNew();
        await server.DisposeAsync();

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
            Assert.That(async () => await pending, Throws.InstanceOf<HttpRequestException>());
        });
    }

    [Test]
    public async Task Reset_Response_ThrowsHttpRequestException()
    {
        _openAI.Enqueue(FakeResponse.Reset());
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        Assert.That(async () => await PostOpenAIAsync(HelloOpenAI, client: client), Throws.InstanceOf<HttpRequestException>());
        Assert.That(_openAI.CallCount, Is.EqualTo(1));
    }

    [Test]
    public async Task CallCount_RejectedAndAcceptedRequests_CountsAll()
    {
        using var rejected = await PostGeminiAsync(HelloGemini, apiKey: "wrong");
        using var accepted = await PostGeminiAsync(HelloGemini);

        Assert.Multiple(() =>
        {
            Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_gemini.CallCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Requests_AfterCall_RecordsMethodPathLowerCaseHeadersAndBody()
    {
        using var response = await PostGeminiAsync(HelloGemini);

        var request = _gemini.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Path, Is.EqualTo("/v1beta/" + GemmaGenerate));
            Assert.That(request.QueryString, Is.Empty);
            Assert.That(request.Headers["x-goog-api-key"], Is.EqualTo(FakeGeminiServer.DefaultApiKey));
            Assert.That(request.Headers.Keys, Has.None.Matches<string>(name => name.Any(char.IsUpper)));
            Assert.That(request.Body, Is.EqualTo(HelloGemini));
        });
    }

    [Test]
    public async Task Reset_Server_ClearsQueueCountersRequestsAndReply()
    {
        _openAI.Enqueue(FakeResponse.Json(500, FakeOpenAIServer.ErrorBody("boom", "server_error", null)));
        _openAI.Reply = _ => "custom";
        using (await PostOpenAIAsync(HelloOpenAI))
        {
        }

        _openAI.Enqueue(FakeResponse.Json(500, FakeOpenAIServer.ErrorBody("boom", "server_error", null)));
        _openAI.Reset();
        using var response = await PostOpenAIAsync(HelloOpenAI);

        var json = await ReadJsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That((string?)json["choices"]![0]!["message"]!["content"], Is.EqualTo("echo: Hello there"));
            Assert.That(_openAI.CallCount, Is.EqualTo(1));
            Assert.That(_openAI.Requests, Has.Count.EqualTo(1));
        });
    }

    private async Task<HttpResponseMessage> PostGeminiAsync(
        string body,
        string? apiKey = FakeGeminiServer.DefaultApiKey,
        string path = GemmaGenerate,
        FakeGeminiServer? server = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{(server ?? _gemini).BaseUrl}/{path}"));
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (apiKey is not null)
        {
            request.Headers.Add("x-goog-api-key", apiKey);
        }

        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostOpenAIAsync(
        string body,
        string? apiKey = FakeOpenAIServer.DefaultApiKey,
        FakeOpenAIServer? server = null,
        HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{(server ?? _openAI).BaseUrl}/chat/completions"));
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return await (client ?? _http).SendAsync(request);
    }

    private static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?.AsObject() ?? throw new AssertionException($"Body is not a JSON object: {text}");
    }

    private static async Task<JsonObject> AssertGeminiErrorAsync(HttpResponseMessage response, int status, string grpcStatus, string message)
    {
        var error = (await ReadJsonAsync(response))["error"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status));
            Assert.That((int?)error["code"], Is.EqualTo(status));
            Assert.That((string?)error["status"], Is.EqualTo(grpcStatus));
            Assert.That((string?)error["message"], Does.Contain(message));
        });

        return error;
    }

    private static async Task<JsonObject> AssertOpenAIErrorAsync(HttpResponseMessage response, int status, string type, string? code, string message)
    {
        var error = (await ReadJsonAsync(response))["error"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status));
            Assert.That(error.Select(p => p.Key), Is.EquivalentTo(OpenAIErrorKeys));
            Assert.That((string?)error["type"], Is.EqualTo(type));
            Assert.That((string?)error["code"], Is.EqualTo(code));
            Assert.That((string?)error["message"], Does.Contain(message));
            Assert.That(response.Headers.Contains("x-request-id"), Is.True);
        });

        return error;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(2))
            {
                throw new TimeoutException("The fake server did not receive the request in time.");
            }

            await Task.Delay(10);
        }
    }
}
