using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentApi.Tests.Fakes;

/// <summary>The fake Gemini API as an executor: streamGenerateContent, function calling, JSON mode and the real 400s for their shapes.</summary>
[TestFixture]
public sealed class FakeGeminiServerTests
{
    private const string Flash = "gemini-2.5-flash";
    private const string Gemini3 = "gemini-3-flash-preview";
    private const string Hello = """{"contents":[{"role":"user","parts":[{"text":"Hello there"}]}]}""";
    private const string WeatherTool = """{"functionDeclarations":[{"name":"get_weather","description":"Weather","parametersJsonSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}},{"name":"get_time"}]}""";

    private FakeGeminiServer _gemini = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _gemini = await FakeGeminiServer.StartAsync(FakeGeminiServer.DefaultApiKey, Flash, Gemini3, FakeGeminiServer.DefaultModel);
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _http.Dispose();
        await _gemini.DisposeAsync();
    }

    [SetUp]
    public void ResetServer()
    {
        _gemini.Reset();
        _gemini.ToolArguments = null;
    }

    [Test]
    public async Task StreamGenerateContent_AltSse_SendsCrlfEventsAWordEachWithTheFinishAndUsageLastAndNoTerminator()
    {
        using var response = await PostAsync(Hello, Flash, stream: true);
        var text = await response.Content.ReadAsStringAsync();

        var events = text.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries);
        var chunks = events.Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
        string[] pieces = ["echo:", " Hello", " there"];
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
            Assert.That(text, Does.EndWith("}\r\n\r\n"), "no [DONE]: the body ends after the last chunk");
            Assert.That(events, Has.All.StartWith("data: {"));
            Assert.That(chunks.Select(c => (string?)c["candidates"]![0]!["content"]!["parts"]![0]!["text"]), Is.EqualTo(pieces));
            Assert.That(chunks.Take(2).Select(c => c["candidates"]![0]!["finishReason"]), Has.All.Null);
            Assert.That((string?)chunks[^1]["candidates"]![0]!["finishReason"], Is.EqualTo("STOP"));
            Assert.That((int?)chunks[0]["usageMetadata"]!["promptTokenCount"], Is.EqualTo(2), "usage on every chunk");
            Assert.That((int?)chunks[^1]["usageMetadata"]!["candidatesTokenCount"], Is.EqualTo(3));
            Assert.That((int?)chunks[^1]["usageMetadata"]!["totalTokenCount"], Is.EqualTo(5));
            Assert.That(chunks.Select(c => (string?)c["responseId"]).Distinct().Count(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task StreamGenerateContent_WithoutAltSse_AnswersTheChunksAsAJsonArray()
    {
        using var response = await PostAsync(Hello, Flash, path: $"models/{Flash}:streamGenerateContent");

        var array = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(array, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task StreamGenerateContent_ScriptedFaults_BreakTheStreamAsScripted()
    {
        _gemini.Enqueue(
            FakeResponse.Streamed(new FakeStreaming { ErrorAfter = 1 }),
            FakeResponse.Streamed(new FakeStreaming { OmitDone = true }),
            FakeResponse.Streamed(new FakeStreaming { MalformedAfter = 1 }),
            FakeResponse.Streamed(new FakeStreaming { CutAfter = 1 }));

        var error = await ReadAsync(await PostAsync(Hello, Flash, stream: true));
        var noFinish = await ReadAsync(await PostAsync(Hello, Flash, stream: true));
        var malformed = (await ReadAsync(await PostAsync(Hello, Flash, stream: true))).Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(error, Does.EndWith("data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n"));
            Assert.That(error.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
            Assert.That(noFinish, Does.Not.Contain("finishReason"));
            Assert.That(() => JsonNode.Parse(malformed[1]["data: ".Length..]), Throws.InstanceOf<System.Text.Json.JsonException>());
            Assert.That(malformed[^1], Does.Contain("\"finishReason\":\"STOP\""));
            Assert.That(async () => await ReadAsync(await PostAsync(Hello, Flash, stream: true)), Throws.InstanceOf<HttpRequestException>().Or.InstanceOf<IOException>(), "the connection drops mid-body");
        });
    }

    [Test]
    public async Task GenerateContent_Tools_CallsTheAllowedFunctionWholeWithASignature()
    {
        _gemini.ToolArguments = name => name == "get_time" ? """{"zone":"UTC"}""" : "{}";
        var body = """{"contents":[{"role":"user","parts":[{"text":"What time is it?"}]}],"tools":[""" + WeatherTool + """],"toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_time"]}}}""";

        var json = JsonNode.Parse(await ReadAsync(await PostAsync(body, Flash)))!;

        var candidate = json["candidates"]![0]!;
        var part = candidate["content"]!["parts"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(part["functionCall"]!.ToJsonString(), Is.EqualTo("""{"name":"get_time","args":{"zone":"UTC"}}"""), "no id on generateContent");
            Assert.That((string?)part["thoughtSignature"], Is.Not.Empty);
            Assert.That((string?)candidate["finishReason"], Is.EqualTo("STOP"));
        });
    }

    [Test]
    public async Task StreamGenerateContent_Tools_SendsTheCallWholeInOneChunkWithASampleOfItsSchema()
    {
        var body = """{"contents":[{"role":"user","parts":[{"text":"Weather?"}]}],"tools":[""" + WeatherTool + "]}";

        var events = (await ReadAsync(await PostAsync(body, Flash, stream: true))).Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries);

        var candidate = JsonNode.Parse(events.Single()["data: ".Length..])!["candidates"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(candidate["content"]!["parts"]![0]!["functionCall"]!.ToJsonString(), Is.EqualTo("""{"name":"get_weather","args":{"city":"example"}}"""));
            Assert.That((string?)candidate["finishReason"], Is.EqualTo("STOP"));
        });
    }

    [Test]
    public async Task GenerateContent_FunctionResponses_RepliesToTheirOutputs()
    {
        var body = """
            {"contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]},
              {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},
              {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"output":"sunny"}}}]}],
             "tools":[
            """ + WeatherTool + "]}";

        var json = JsonNode.Parse(await ReadAsync(await PostAsync(body, Flash)))!;

        Assert.That((string?)json["candidates"]![0]!["content"]!["parts"]![0]!["text"], Is.EqualTo("echo: sunny"));
    }

    [Test]
    public async Task GenerateContent_JsonSchema_AnswersASampleOfTheSchema()
    {
        const string body = """{"contents":[{"parts":[{"text":"Colour"}]}],"generationConfig":{"responseMimeType":"application/json","responseJsonSchema":{"type":"object","properties":{"colour":{"type":"string"},"n":{"type":"integer"}}}}}""";

        var json = JsonNode.Parse(await ReadAsync(await PostAsync(body, Flash)))!;

        Assert.That((string?)json["candidates"]![0]!["content"]!["parts"]![0]!["text"], Is.EqualTo("""{"colour":"echo: Colour","n":1}"""));
    }

    [TestCase("""{"contents":[{"role":"user","parts":[{"text":"q"}]},{"role":"model","parts":[{"functionCall":{"id":"call_1","name":"f","args":{}}}]},{"role":"user","parts":[{"functionResponse":{"name":"f","response":{}}}]}]}""", "Unknown name \"id\" at 'contents[1].parts[0].function_call': Cannot find field.")]
    [TestCase("""{"contents":[{"role":"user","parts":[{"text":"q"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{}}}]},{"role":"user","parts":[{"functionResponse":{"id":"call_1","name":"f","response":{}}}]}]}""", "Unknown name \"id\" at 'contents[2].parts[0].function_response': Cannot find field.")]
    [TestCase("""{"contents":[{"role":"user","parts":[{"text":"q"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{}}}]},{"role":"user","parts":[{"functionResponse":{"name":"f","response":"sunny"}}]}]}""", "Invalid value at 'contents[2].parts[0].function_response.response' (type.googleapis.com/google.protobuf.Struct)")]
    [TestCase("""{"contents":[{"role":"user","parts":[{"text":"q"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{}}},{"functionCall":{"name":"f","args":{}}}]},{"role":"user","parts":[{"functionResponse":{"name":"f","response":{}}}]}]}""", "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.")]
    [TestCase("""{"contents":[{"parts":[{"text":"q"}]}],"tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"string","additionalProperties":false}}}}]}]}""", "Unknown name \"additionalProperties\" at 'tools[0].function_declarations[0].parameters.properties[0].value': Cannot find field.")]
    [TestCase("""{"contents":[{"parts":[{"text":"q"}]}],"tools":[{"functionDeclarations":[{"name":"1f"}]}]}""", "tools[0].function_declarations[0].name: [FIELD_INVALID] Invalid function name.")]
    [TestCase("""{"contents":[{"parts":[{"text":"q"}]}],"tools":[{"functions":[]}]}""", "Unknown name \"functions\" at 'tools[0]': Cannot find field.")]
    [TestCase("""{"contents":[{"parts":[{"text":"q"}]}],"toolConfig":{"functionCallingConfig":{"mode":"REQUIRED"}}}""", "Invalid value at 'tool_config.function_calling_config.mode'")]
    [TestCase("""{"contents":[{"parts":[{"text":"q"}]}],"generationConfig":{"responseMimeType":"application/json","responseSchema":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object"}}}""", "Unknown name \"$schema\" at 'generation_config.response_schema': Cannot find field.")]
    [TestCase("""{"contents":[{"role":"user","parts":[{"text":"q"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{}},"thoughtSignature":"not base64!"}]},{"role":"user","parts":[{"functionResponse":{"name":"f","response":{}}}]}]}""", "Invalid value at 'contents[1].parts[0].thought_signature' (TYPE_BYTES), Base64 decoding failed")]
    public async Task GenerateContent_InvalidToolShape_Returns400AsTheRealApi(string body, string message)
    {
        using var response = await PostAsync(body, Flash);

        await AssertErrorAsync(response, message);
    }

    [Test]
    public async Task GenerateContent_Gemini3CallOfTheCurrentTurnWithoutASignature_Returns400UnlessThePlaceholderSignsIt()
    {
        const string unsigned = """{"contents":[{"role":"user","parts":[{"text":"q"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{}}}]},{"role":"user","parts":[{"functionResponse":{"name":"f","response":{}}}]}]}""";
        var placeholder = unsigned.Replace("\"args\":{}}", "\"args\":{}},\"thoughtSignature\":\"skip_thought_signature_validator\"", StringComparison.Ordinal);

        using var rejected = await PostAsync(unsigned, Gemini3);
        using var accepted = await PostAsync(placeholder, Gemini3);
        using var older = await PostAsync(unsigned, Flash);

        await AssertErrorAsync(rejected, "Function call is missing a thought_signature in functionCall parts.");
        Assert.Multiple(() =>
        {
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(older.StatusCode, Is.EqualTo(HttpStatusCode.OK), "Gemini 2.x does not validate signatures");
        });
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string model, bool stream = false, string? path = null)
    {
        path ??= stream ? $"models/{model}:streamGenerateContent?alt=sse" : $"models/{model}:generateContent";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{_gemini.BaseUrl}/{path}"));
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Add("x-goog-api-key", FakeGeminiServer.DefaultApiKey);
        return await _http.SendAsync(request);
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            return await response.Content.ReadAsStringAsync();
        }
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, string message)
    {
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(400));
            Assert.That((string?)error["status"], Is.EqualTo("INVALID_ARGUMENT"));
            Assert.That((string?)error["message"], Does.Contain(message));
        });
    }
}
