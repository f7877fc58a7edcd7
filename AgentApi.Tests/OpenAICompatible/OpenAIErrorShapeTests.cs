using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.OpenAICompatible;

/// <summary>Every /v1 failure answers in OpenAI's error shape, with the field at fault in <c>param</c>; /api keeps problem+json.</summary>
[TestFixture]
public sealed class OpenAIErrorShapeTests : HostedFixture
{
    private static readonly string[] StopSequences = ["END", "STOP"];

    private const string ChatCompletions = "/v1/chat/completions";

    [Test]
    public async Task ChatCompletions_MalformedJson_Answers400InOpenAIShape()
    {
        using var response = await PostRawAsync("{\"model\": \"agentapi\", \"messages\": [", "application/json");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", param: null, code: "invalid_json");
    }

    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"foo\": 1}", "foo", "unknown_parameter")]
    [TestCase("{\"model\": 3, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "model", "invalid_type")]
    [TestCase("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "model", "missing_required_parameter")]
    [TestCase("{\"model\": \"agentapi\"}", "messages", "missing_required_parameter")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": []}", "messages", "empty_array")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": 5}]}", "messages[0].content", "invalid_type")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"tool\", \"content\": \"x\", \"tool_call_id\": \"1\"}, {\"role\": \"user\", \"content\": \"hi\"}]}", "messages[0].role", "invalid_value")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"tool\", \"content\": \"x\"}, {\"role\": \"user\", \"content\": \"hi\"}]}", "messages[0].tool_call_id", "missing_required_parameter")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"a\"}, {\"type\": \"input_audio\", \"input_audio\": {}}]}]}", "messages[1].content[1].type", "invalid_value")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"hello\"}]}", "messages", "invalid_value")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"  \"}]}", "messages[0].content", "invalid_value")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"n\": 2}", "n", "unsupported_parameter")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"logprobs\": true}", "logprobs", "unsupported_parameter")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"response_format\": {\"type\": \"json_object\"}}", "messages", "invalid_value")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tool_choice\": \"auto\"}", "tool_choice", "invalid_value")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"modalities\": [\"text\", \"audio\"]}", "modalities", "unsupported_parameter")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": 3}", "temperature", "invalid_value")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 0}", "max_tokens", "invalid_value")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stream_options\": {\"include_usage\": true}}", "stream_options", null)]
    public async Task ChatCompletions_RequestItCannotHonour_Answers400NamingTheField(string body, string param, string? code)
    {
        using var response = await PostRawAsync(body, "application/json");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", param, code);
        Assert.That(Host.Gemini.CallCount + Host.OpenAI.CallCount, Is.Zero);
    }

    [Test]
    public async Task ChatCompletions_SamplingParametersChatUisSend_ReachTheExecutorAsSent()
    {
        var question = Queries.Unique("Sample me");
        using var response = await Host.Client.PostAsJsonAsync(ChatCompletions, new
        {
            model = "agentapi",
            messages = new[] { new { role = "user", content = question } },
            top_p = 0.5,
            stop = StopSequences,
            seed = 7,
            presence_penalty = 0.25,
            frequency_penalty = -0.5,
            max_completion_tokens = 64,
            user = "end-user-42",
        });
        var sent = SentToExecutor(question);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(sent.GetProperty("top_p").GetDouble(), Is.EqualTo(0.5));
            Assert.That(sent.GetProperty("stop").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(StopSequences));
            Assert.That(sent.GetProperty("seed").GetInt64(), Is.EqualTo(7));
            Assert.That(sent.GetProperty("presence_penalty").GetDouble(), Is.EqualTo(0.25));
            Assert.That(sent.GetProperty("frequency_penalty").GetDouble(), Is.EqualTo(-0.5));
            Assert.That(sent.TryGetProperty("max_completion_tokens", out var max) ? max : sent.GetProperty("max_tokens"), Has.Property("ValueKind").EqualTo(JsonValueKind.Number));
            Assert.That(sent.GetProperty("user").GetString(), Is.EqualTo("end-user-42"));
        });
    }

    [Test]
    public async Task ChatCompletions_EmptyStop_MeansNoStopSequence()
    {
        var question = Queries.Unique("No stop");
        using var response = await Host.Client.PostAsJsonAsync(ChatCompletions, new
        {
            model = "agentapi",
            messages = new[] { new { role = "user", content = question } },
            stop = Array.Empty<string>(),
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(SentToExecutor(question).TryGetProperty("stop", out _), Is.False, "no stop sequence is sent");
    }

    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}", "stop")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"top_p\": 1.5}", "top_p")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"presence_penalty\": 3}", "presence_penalty")]
    [TestCase("{\"model\": \"agentapi\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"seed\": 1.5}", "seed")]
    public async Task ChatCompletions_SamplingParameterOutOfRange_Answers400NamingIt(string json, string param)
    {
        using var response = await PostRawAsync(json, "application/json");

        var body = await AgentApiHost.JsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("error").GetProperty("param").GetString(), Is.EqualTo(param));
        });
    }

    private JsonElement SentToExecutor(string question)
    {
        var request = Host.OpenAI.Requests.Last(r => r.Method == "POST" && r.Body.Contains(question, StringComparison.Ordinal));
        using var document = JsonDocument.Parse(request.Body);
        return document.RootElement.Clone();
    }

    [Test]
    public async Task ChatCompletions_NoOpValuesOfUnsupportedFields_AreAccepted()
    {
        var body = new
        {
            model = "agentapi",
            messages = new object[] { new { role = "developer", content = "Be brief." }, new { role = "user", content = Queries.Unique("hi"), name = "ann" } },
            n = 1,
            logprobs = false,
            top_p = 1,
            presence_penalty = 0,
            frequency_penalty = 0,
            tool_choice = "none",
            response_format = new { type = "text" },
            modalities = new[] { "text" },
            store = false,
            tools = (object?)null,
            user = "end-user-42",
        };

        using var response = await Host.Client.PostAsJsonAsync(ChatCompletions, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task ChatCompletions_WrongContentType_Answers415InOpenAIShape()
    {
        using var response = await PostRawAsync("model=agentapi", "application/x-www-form-urlencoded");

        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "invalid_request_error", param: null, code: "unsupported_media_type");
    }

    [Test]
    public async Task ChatCompletions_BodyOver1MiB_Answers413InOpenAIShape()
    {
        var text = new string('a', 1024 * 1024 + 10);
        using var response = await PostRawAsync(JsonSerializer.Serialize(new { model = "agentapi", messages = new[] { new { role = "user", content = text } } }), "application/json");

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", param: null, code: "request_too_large");
    }

    [Test]
    public async Task V1_UnknownPath_Answers404InOpenAIShape()
    {
        using var response = await Host.Client.GetAsync("/v1/embeddings");

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "invalid_request_error", param: null, code: "unknown_url");
    }

    [Test]
    public async Task ChatCompletions_Get_Answers405InOpenAIShape()
    {
        using var response = await Host.Client.GetAsync(ChatCompletions);

        await AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, "invalid_request_error", param: null, code: "method_not_allowed");
    }

    [Test]
    public async Task GetModel_UnknownId_Answers404ModelNotFound()
    {
        using var response = await Host.Client.GetAsync("/v1/models/gpt-4o");

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "invalid_request_error", param: "model", code: "model_not_found");
    }

    [Test]
    public async Task GetModel_ServedId_AnswersTheModel()
    {
        using var response = await Host.Client.GetAsync("/v1/models/agentapi-direct");

        var body = await AgentApiHost.JsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("id").GetString(), Is.EqualTo("agentapi-direct"));
            Assert.That(body.GetProperty("object").GetString(), Is.EqualTo("model"));
        });
    }

    [Test]
    public async Task ChatCompletions_Success_HasOpenAIShapeWithRefusalNull()
    {
        using var response = await Host.Client.PostAsJsonAsync(ChatCompletions, new { model = "agentapi", messages = new[] { new { role = "user", content = Queries.Unique("hi") } } });

        var body = await AgentApiHost.JsonAsync(response);
        var choice = body.GetProperty("choices")[0];
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("object").GetString(), Is.EqualTo("chat.completion"));
            Assert.That(choice.GetProperty("index").GetInt32(), Is.Zero);
            Assert.That(choice.GetProperty("message").GetProperty("role").GetString(), Is.EqualTo("assistant"));
            Assert.That(choice.GetProperty("message").GetProperty("refusal").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(choice.GetProperty("logprobs").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(choice.GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
            Assert.That(body.GetProperty("usage").GetProperty("total_tokens").GetInt32(), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task ChatCompletions_ProviderRateLimitedWithRetryAfter_Answers503WithRetryAfter()
    {
        var limited = Fakes.FakeResponse.Json(429, Fakes.FakeOpenAIServer.ErrorBody("Rate limit reached for gpt-4o-mini.", "requests", "rate_limit_exceeded"), ("retry-after", "120"));
        Host.OpenAI.Enqueue(limited, limited, limited);

        using var response = await Host.Client.PostAsJsonAsync(ChatCompletions, new { model = "agentapi-direct", messages = new[] { new { role = "user", content = Queries.Unique("hi") } } });

        await AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "server_error", param: null, code: "provider_rate_limited");
        Assert.That(response.Headers.RetryAfter?.Delta, Is.Not.Null);
    }

    [Test]
    public async Task Ask_NativeEndpointsStillAnswerProblemJson()
    {
        using var response = await Host.Client.GetAsync("/api/nope");

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    private async Task<HttpResponseMessage> PostRawAsync(string body, string contentType) =>
        await Host.Client.PostAsync(ChatCompletions, new StringContent(body, Encoding.UTF8, contentType));

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type, string? param, string? code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        using var document = JsonDocument.Parse(text);
        var error = document.RootElement.GetProperty("error");
        Assert.Multiple(() =>
        {
            Assert.That(document.RootElement.EnumerateObject().Count(), Is.EqualTo(1));
            Assert.That(error.GetProperty("message").GetString(), Is.Not.Empty);
            Assert.That(error.GetProperty("type").GetString(), Is.EqualTo(type));
            Assert.That(error.GetProperty("param").ValueKind == JsonValueKind.Null ? null : error.GetProperty("param").GetString(), Is.EqualTo(param));
            if (code is not null)
            {
                Assert.That(error.GetProperty("code").GetString(), Is.EqualTo(code));
            }
            else
            {
                Assert.That(error.TryGetProperty("code", out _), Is.True);
            }
        });
    }
}
