using System.Text.Json;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers.Gemini;

namespace AgentApi.Tests.Unit;

/// <summary>What the Gemini executor writes for tools, tool choice, tool turns, response formats and sampling.</summary>
[TestFixture]
public sealed class GeminiRequestShapeTests
{
    private const string WeatherParameters = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""";

    private static readonly ToolDefinition Weather = new("get_weather", "The weather in a city.", WeatherParameters, Strict: true);

    [Test]
    public void Build_Tools_AreFunctionDeclarationsWithTheSchemaAsJsonSchema()
    {
        var root = Json("gemini-2.5-flash", new ChatRequest("Weather in Paris?") { Tools = new ToolSet([Weather, new ToolDefinition("now")]) });

        var declarations = root.GetProperty("tools")[0].GetProperty("functionDeclarations");
        string[] nameOnly = ["name"];
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("tools").GetArrayLength(), Is.EqualTo(1), "one tool holds every function");
            Assert.That(declarations[0].GetProperty("name").GetString(), Is.EqualTo("get_weather"));
            Assert.That(declarations[0].GetProperty("description").GetString(), Is.EqualTo("The weather in a city."));
            Assert.That(declarations[0].GetProperty("parametersJsonSchema").GetRawText(), Is.EqualTo(WeatherParameters), "verbatim JSON Schema, additionalProperties included");
            Assert.That(declarations[0].TryGetProperty("parameters", out _), Is.False, "the OpenAPI-subset field rejects additionalProperties");
            Assert.That(declarations[1].EnumerateObject().Select(p => p.Name), Is.EqualTo(nameOnly));
            Assert.That(root.TryGetProperty("toolConfig", out _), Is.False, "no choice: the API's default (AUTO)");
        });
    }

    [TestCase(ToolChoiceMode.Auto, "AUTO", null)]
    [TestCase(ToolChoiceMode.None, "NONE", null)]
    [TestCase(ToolChoiceMode.Required, "ANY", null)]
    [TestCase(ToolChoiceMode.Function, "ANY", "get_weather")]
    public void Build_ToolChoice_IsAFunctionCallingConfig(ToolChoiceMode mode, string expectedMode, string? allowed)
    {
        var choice = mode == ToolChoiceMode.Function ? ToolChoice.Function("get_weather") : new ToolChoice(mode);

        var config = Json("gemini-2.5-flash", new ChatRequest("Weather?") { Tools = new ToolSet([Weather], choice) }).GetProperty("toolConfig").GetProperty("functionCallingConfig");

        Assert.Multiple(() =>
        {
            Assert.That(config.GetProperty("mode").GetString(), Is.EqualTo(expectedMode));
            Assert.That(config.TryGetProperty("allowedFunctionNames", out var names) ? names[0].GetString() : null, Is.EqualTo(allowed));
        });
    }

    [Test]
    public void Build_ToolTurns_AreModelFunctionCallsAndOneUserContentOfTheirResults()
    {
        ChatTurn[] history = [new(ChatRole.User, "Earlier question"), new(ChatRole.Assistant, "Earlier answer")];
        var request = new ChatRequest("Weather in Paris and Rome?", "Be brief.", History: history)
        {
            Tools = new ToolSet([Weather]),
            ToolTurns =
            [
                new ChatTurn(ChatRole.Assistant, "Let me look.")
                {
                    ToolCalls = [new ToolCall("call_a", "get_weather", """{"city":"Paris"}"""), new ToolCall("call_b", "get_weather", """{"city":"Rome"}""")],
                },
                new ChatTurn(ChatRole.Tool, """{"temp":21}""") { ToolCallId = "call_a" },
                new ChatTurn(ChatRole.Tool, "sunny, 25 degrees") { ToolCallId = "call_b" },
            ],
        };

        var root = Json("gemini-2.5-flash", request);

        var contents = root.GetProperty("contents");
        var model = contents[3].GetProperty("parts");
        var results = contents[4].GetProperty("parts");
        string[] roles = ["user", "model", "user", "model", "user"];
        Assert.Multiple(() =>
        {
            Assert.That(contents.EnumerateArray().Select(c => c.GetProperty("role").GetString()), Is.EqualTo(roles));
            Assert.That(model[0].GetProperty("text").GetString(), Is.EqualTo("Let me look."));
            Assert.That(model[1].GetProperty("functionCall").GetRawText(), Is.EqualTo("""{"name":"get_weather","args":{"city":"Paris"}}"""), "no id: the API rejects one");
            Assert.That(model[2].GetProperty("functionCall").GetProperty("args").GetProperty("city").GetString(), Is.EqualTo("Rome"));
            Assert.That(model[1].TryGetProperty("thoughtSignature", out _), Is.False, "Gemini 2.x does not validate signatures");
            Assert.That(results.GetArrayLength(), Is.EqualTo(2), "as many results as calls, in one content");
            Assert.That(results[0].GetProperty("functionResponse").GetRawText(), Is.EqualTo("""{"name":"get_weather","response":{"output":{"temp":21}}}"""), "JSON text is sent as JSON");
            Assert.That(results[1].GetProperty("functionResponse").GetProperty("response").GetProperty("output").GetString(), Is.EqualTo("sunny, 25 degrees"));
            Assert.That(root.GetProperty("systemInstruction").GetProperty("parts")[0].GetProperty("text").GetString(), Is.EqualTo("Be brief."));
        });
    }

    [TestCase("gemini-3-flash-preview", true)]
    [TestCase("models/gemini-3.1-pro-preview", true)]
    [TestCase("gemini-2.5-flash", false)]
    [TestCase("gemini-1.5-pro", false)]
    public void Build_CallsInHistory_CarryThePlaceholderSignatureWhereTheModelValidatesSignatures(string model, bool isSigned)
    {
        var request = new ChatRequest("Weather in Paris and Rome?")
        {
            ToolTurns =
            [
                new ChatTurn(ChatRole.Assistant, string.Empty) { ToolCalls = [new ToolCall("call_a", "get_weather", "{}"), new ToolCall("call_b", "get_weather", "not json")] },
                new ChatTurn(ChatRole.Tool, "1") { ToolCallId = "call_a" },
                new ChatTurn(ChatRole.Tool, "2") { ToolCallId = "call_b" },
            ],
        };

        var parts = Json(model, request).GetProperty("contents")[1].GetProperty("parts");

        Assert.Multiple(() =>
        {
            Assert.That(parts.GetArrayLength(), Is.EqualTo(2), "an assistant turn without text has only its calls");
            Assert.That(parts[0].TryGetProperty("thoughtSignature", out var signature) ? signature.GetString() : null, Is.EqualTo(isSigned ? GeminiRequests.UnsignedCall : null));
            Assert.That(parts[1].TryGetProperty("thoughtSignature", out _), Is.False, "only the first call of a turn is signed");
            Assert.That(parts[1].GetProperty("functionCall").TryGetProperty("args", out _), Is.False, "arguments that are not a JSON object are not sent");
        });
    }

    [Test]
    public void Build_JsonSchema_IsJsonMimeTypeAndTheSchemaAsJsonSchema()
    {
        const string schema = """{"type":"object","properties":{"colour":{"type":"string"}},"required":["colour"],"additionalProperties":false}""";

        var config = Json("gemini-2.5-flash", new ChatRequest("A colour") { ResponseFormat = ResponseFormat.JsonSchema("colour", schema, strict: true) }).GetProperty("generationConfig");
        var jsonMode = Json("gemini-2.5-flash", new ChatRequest("A colour") { ResponseFormat = ResponseFormat.JsonObject }).GetProperty("generationConfig");

        Assert.Multiple(() =>
        {
            Assert.That(config.GetProperty("responseMimeType").GetString(), Is.EqualTo("application/json"));
            Assert.That(config.GetProperty("responseJsonSchema").GetRawText(), Is.EqualTo(schema));
            Assert.That(config.TryGetProperty("responseSchema", out _), Is.False);
            Assert.That(jsonMode.GetProperty("responseMimeType").GetString(), Is.EqualTo("application/json"));
            Assert.That(jsonMode.TryGetProperty("responseJsonSchema", out _), Is.False);
        });
    }

    [Test]
    public void Build_Sampling_GoesIntoGenerationConfigAndTheEndUserNowhere()
    {
        var request = new ChatRequest("Hello", MaxOutputTokens: 100, Temperature: 0.5)
        {
            Sampling = new Sampling(TopP: 0.9, Stop: ["###", "END"], Seed: 4_294_967_297, PresencePenalty: 0.5, FrequencyPenalty: -0.5),
            EndUser = "user-1234",
        };

        var json = JsonSerializer.Serialize(GeminiRequests.Build("gemini-2.5-flash", request), GeminiJsonContext.Default.GenerateContentRequest);
        var config = JsonDocument.Parse(json).RootElement.GetProperty("generationConfig");
        string[] stops = ["###", "END"];

        Assert.Multiple(() =>
        {
            Assert.That(config.GetProperty("maxOutputTokens").GetInt32(), Is.EqualTo(100));
            Assert.That(config.GetProperty("temperature").GetDouble(), Is.EqualTo(0.5));
            Assert.That(config.GetProperty("topP").GetDouble(), Is.EqualTo(0.9));
            Assert.That(config.GetProperty("stopSequences").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(stops));
            Assert.That(config.GetProperty("seed").GetInt32(), Is.EqualTo(1), "a 64-bit seed keeps its low 32 bits");
            Assert.That(config.GetProperty("presencePenalty").GetDouble(), Is.EqualTo(0.5));
            Assert.That(config.GetProperty("frequencyPenalty").GetDouble(), Is.EqualTo(-0.5));
            Assert.That(json, Does.Not.Contain("user-1234"), "the API has no end-user field");
        });
    }

    [Test]
    public void Build_NothingToConfigure_SendsNoGenerationConfig()
    {
        Assert.That(Json("gemini-2.5-flash", new ChatRequest("Hello")).TryGetProperty("generationConfig", out _), Is.False);
    }

    private static JsonElement Json(string model, ChatRequest request)
    {
        var json = JsonSerializer.Serialize(GeminiRequests.Build(model, request), GeminiJsonContext.Default.GenerateContentRequest);
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
