using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;

namespace AgentApi.Tests.Fakes;

/// <summary>
/// The Anthropic fake against the official .NET SDK (Anthropic 13.15.0, with response validation on): what the SDK sends
/// the fake takes, and what the fake answers the SDK reads, buffered, streamed, with tools and as errors. Raw HTTP
/// checks the rejections the SDK's types would not let a test send.
/// </summary>
[TestFixture]
public sealed class FakeAnthropicServerTests
{
    private const string Messages = "/v1/messages";
    private const string Hello = """{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hello there"}]}""";
    private const string WeatherInput = """{"city":"Paris"}""";

    private FakeAnthropicServer _fake = null!;
    private AnthropicClient _sdk = null!;
    private HttpClient _http = null!;

    private static IEnumerable<TestCaseData> ScriptedErrors()
    {
        yield return new TestCaseData(FakeAnthropicServer.InvalidRequest("messages: at least one message is required"), 400, "invalid_request_error", typeof(AnthropicBadRequestException));
        yield return new TestCaseData(FakeAnthropicServer.AuthenticationError(), 401, "authentication_error", typeof(AnthropicUnauthorizedException));
        yield return new TestCaseData(FakeAnthropicServer.PermissionError(), 403, "permission_error", typeof(AnthropicForbiddenException));
        yield return new TestCaseData(FakeAnthropicServer.NotFound(), 404, "not_found_error", typeof(AnthropicNotFoundException));
        yield return new TestCaseData(FakeAnthropicServer.RateLimited(7), 429, "rate_limit_error", typeof(AnthropicRateLimitException));
        yield return new TestCaseData(FakeAnthropicServer.ApiError(), 500, "api_error", typeof(Anthropic5xxException));
        yield return new TestCaseData(FakeAnthropicServer.Overloaded(), 529, "overloaded_error", typeof(AnthropicOverloadedException));
    }

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _fake = await FakeAnthropicServer.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_fake.BaseUrl.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(10) };

        // The SDK appends /v1/messages to its base URL itself; no retries, so a scripted error is seen as it is.
        _sdk = new AnthropicClient(new() { BaseUrl = _http.BaseAddress!.ToString(), ApiKey = FakeAnthropicServer.DefaultApiKey, MaxRetries = 0, ResponseValidation = true });
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _sdk.Dispose();
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    [SetUp]
    public void ResetServer()
    {
        _fake.Reset();
        _fake.ToolArguments = null;
    }

    [Test]
    public async Task Create_Sdk_ReadsTextUsageStopReasonAndSnapshot()
    {
        var message = await _sdk.Messages.Create(new MessageCreateParams
        {
            Model = FakeAnthropicServer.DefaultModel,
            MaxTokens = 64,
            System = "Be brief.",
            Messages = [new UserMessageParam("Hello there")],
        });

        var request = _fake.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(message.Content.Single().Value, Is.TypeOf<TextBlock>());
            Assert.That(As<TextBlock>(message.Content.Single().Value).Text, Is.EqualTo("echo: Hello there"));
            Assert.That(message.StopReason!.Raw(), Is.EqualTo("end_turn"));
            Assert.That(message.Model.Raw(), Is.EqualTo("claude-haiku-4-5-20251001"));
            Assert.That(message.ID, Does.StartWith("msg_"));
            Assert.That(message.Usage.InputTokens, Is.EqualTo(4), "words of the system prompt and the message");
            Assert.That(message.Usage.OutputTokens, Is.EqualTo(3));
            // SDK 13.15 sends its key as a bearer token and a newer version (2026-10-21); AgentApi sends x-api-key and 2023-06-01.
            Assert.That(request.Headers["authorization"], Is.EqualTo("Bearer " + FakeAnthropicServer.DefaultApiKey));
            Assert.That(request.Headers["anthropic-version"], Does.Match(@"^\d{4}-\d{2}-\d{2}$"));
        });
    }

    [Test]
    public async Task CreateStreaming_Sdk_ReadsEveryEventInOrder()
    {
        var types = new List<string>();
        var text = new StringBuilder();
        string? stopReason = null;
        long? outputTokens = null;
        long? inputTokens = null;
        await foreach (var streamed in _sdk.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = FakeAnthropicServer.DefaultModel,
            MaxTokens = 64,
            Messages = [new UserMessageParam("Stream three words")],
        }))
        {
            types.Add(streamed.Type.Raw());
            switch (streamed.Value)
            {
                case RawMessageStartEvent start:
                    inputTokens = start.Message.Usage.InputTokens;
                    break;
                case RawContentBlockDeltaEvent { Delta.Value: TextDelta delta }:
                    text.Append(delta.Text);
                    break;
                case RawMessageDeltaEvent delta:
                    stopReason = delta.Delta.StopReason?.Raw();
                    outputTokens = delta.Usage.OutputTokens;
                    break;
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(types[0], Is.EqualTo("message_start"));
            Assert.That(types[1], Is.EqualTo("content_block_start"));
            Assert.That(types.Where(type => type == "content_block_delta").Count(), Is.EqualTo(4), "one text_delta per word; ping is not surfaced");
            Assert.That(types[^3..], Is.EqualTo((string[])["content_block_stop", "message_delta", "message_stop"]));
            Assert.That(text.ToString(), Is.EqualTo("echo: Stream three words"));
            Assert.That(stopReason, Is.EqualTo("end_turn"));
            Assert.That(inputTokens, Is.EqualTo(3));
            Assert.That(outputTokens, Is.EqualTo(4));
            Assert.That(_fake.CompletedStreams, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Create_SdkWithTools_AnswersToolUseWithTheInputAsAnObject()
    {
        _fake.ToolArguments = _ => WeatherInput;

        var message = await _sdk.Messages.Create(WeatherQuestion());

        var toolUse = As<ToolUseBlock>(message.Content.Single().Value);
        Assert.Multiple(() =>
        {
            Assert.That(message.StopReason!.Raw(), Is.EqualTo("tool_use"));
            Assert.That(toolUse.ID, Does.StartWith("toolu_"));
            Assert.That(toolUse.Name, Is.EqualTo("get_weather"));
            Assert.That(toolUse.Input!["city"].GetString(), Is.EqualTo("Paris"));
        });
    }

    [Test]
    public async Task CreateStreaming_SdkWithTools_SendsTheInputInJsonPieces()
    {
        _fake.ToolArguments = _ => WeatherInput;
        var input = new StringBuilder();
        string? name = null;
        string? stopReason = null;

        await foreach (var streamed in _sdk.Messages.CreateStreaming(WeatherQuestion()))
        {
            switch (streamed.Value)
            {
                case RawContentBlockStartEvent start when start.ContentBlock.Value is ToolUseBlock block:
                    name = block.Name;
                    break;
                case RawContentBlockDeltaEvent { Delta.Value: InputJsonDelta delta }:
                    input.Append(delta.PartialJson);
                    break;
                case RawMessageDeltaEvent delta:
                    stopReason = delta.Delta.StopReason?.Raw();
                    break;
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(name, Is.EqualTo("get_weather"));
            Assert.That(input.ToString(), Is.EqualTo(WeatherInput));
            Assert.That(stopReason, Is.EqualTo("tool_use"));
        });
    }

    [Test]
    public async Task Create_SdkToolResult_RepliesToTheResult()
    {
        var first = await _sdk.Messages.Create(WeatherQuestion());
        var toolUse = As<ToolUseBlock>(first.Content.Single().Value);

        var second = await _sdk.Messages.Create(WeatherQuestion() with
        {
            Messages =
            [
                new UserMessageParam("What is the weather in Paris?"),
                new AssistantMessageParam(new List<ContentBlockParam> { new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input } }),
                new UserMessageParam(new List<ContentBlockParam> { new ToolResultBlockParam(toolUse.ID) { Content = "21 degrees and sunny" } }),
            ],
        });

        Assert.Multiple(() =>
        {
            Assert.That(As<TextBlock>(second.Content.Single().Value).Text, Is.EqualTo("echo: 21 degrees and sunny"));
            Assert.That(second.StopReason!.Raw(), Is.EqualTo("end_turn"));
        });
    }

    [TestCaseSource(nameof(ScriptedErrors))]
    public void Create_ScriptedError_SdkRaisesItsExceptionWithStatusTypeAndRequestId(FakeResponse error, int status, string type, System.Type exception)
    {
        _fake.Enqueue(error);

        var thrown = Assert.CatchAsync<AnthropicApiException>(() => _sdk.Messages.Create(WeatherQuestion()));

        Assert.Multiple(() =>
        {
            Assert.That(thrown, Is.TypeOf(exception));
            Assert.That((int)thrown!.StatusCode, Is.EqualTo(status));
            Assert.That(JsonNode.Parse(thrown.ResponseBody)!["error"]!["type"]!.GetValue<string>(), Is.EqualTo(type));
            Assert.That(thrown.RequestID, Does.StartWith("req_"));
        });
    }

    [Test]
    public async Task RateLimited_Http_SendsRetryAfterInSeconds()
    {
        _fake.Enqueue(FakeAnthropicServer.RateLimited(7));

        using var response = await PostAsync(Hello);

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(429));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(response.Headers.GetValues("request-id").Single(), Does.StartWith("req_"));
        });
    }

    [Test]
    public void CreateStreaming_ErrorEventAfterTwoFrames_SdkRaisesTheSseError()
    {
        _fake.Enqueue(FakeResponse.Streamed(new FakeStreaming { ErrorAfter = 2 }));
        var seen = 0;

        var thrown = Assert.CatchAsync<AnthropicSseException>(async () =>
        {
            await foreach (var unused in _sdk.Messages.CreateStreaming(WeatherQuestion() with { Tools = null }))
            {
                seen++;
            }
        });

        Assert.Multiple(() =>
        {
            Assert.That(thrown!.Message, Does.Contain("overloaded_error"));
            Assert.That(seen, Is.EqualTo(2), "message_start and content_block_start came before the error");
        });
    }

    [Test]
    public void CreateStreaming_CutAfterFourFrames_SdkFailsAfterThreeEvents()
    {
        // A delay between frames lets the SDK read each before the reset, which drops what it has not read.
        _fake.Enqueue(FakeResponse.Streamed(new FakeStreaming { CutAfter = 4, ChunkDelay = TimeSpan.FromMilliseconds(200) }));
        var seen = 0;

        Assert.CatchAsync<Exception>(async () =>
        {
            await foreach (var unused in _sdk.Messages.CreateStreaming(WeatherQuestion() with { Tools = null }))
            {
                seen++;
            }
        });

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(3), "message_start, content_block_start and one delta; the ping is counted but not surfaced");
            Assert.That(_fake.CompletedStreams, Is.Zero);
        });
    }

    [Test]
    public async Task Stream_Http_NamesEachFrameAfterItsDataTypeWithAPing()
    {
        using var response = await PostAsync(Hello.Replace("\"max_tokens\":64", "\"max_tokens\":64,\"stream\":true", StringComparison.Ordinal));
        var body = await response.Content.ReadAsStringAsync();

        var frames = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(frame => frame.Split('\n'))
            .Select(lines => (Event: lines[0]["event: ".Length..], Type: JsonNode.Parse(lines[1]["data: ".Length..])!["type"]!.GetValue<string>()))
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
            Assert.That(frames.Select(frame => frame.Event), Is.EqualTo(frames.Select(frame => frame.Type)));
            Assert.That(frames[2].Event, Is.EqualTo("ping"));
            Assert.That(frames[^1].Event, Is.EqualTo("message_stop"));
        });
    }

    [Test]
    public async Task Stream_OmitDone_EndsWithoutMessageStop()
    {
        _fake.Enqueue(FakeResponse.Streamed(new FakeStreaming { OmitDone = true }));

        using var response = await PostAsync(Hello.Replace("\"max_tokens\":64", "\"max_tokens\":64,\"stream\":true", StringComparison.Ordinal));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(body, Does.Contain("event: message_delta"));
            Assert.That(body, Does.Not.Contain("message_stop"));
        });
    }

    [Test]
    public async Task Messages_AnswerLongerThanMaxTokens_CutsWithMaxTokens()
    {
        _fake.Reply = _ => "one two three four five";

        using var response = await PostAsync(Hello.Replace("\"max_tokens\":64", "\"max_tokens\":2", StringComparison.Ordinal));

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)json["content"]![0]!["text"], Is.EqualTo("one two"));
            Assert.That((string?)json["stop_reason"], Is.EqualTo("max_tokens"));
            Assert.That((int?)json["usage"]!["output_tokens"], Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Messages_StopSequenceInTheAnswer_CutsThereWithStopSequence()
    {
        _fake.Reply = _ => "one two. three";

        using var response = await PostAsync(Hello.Replace("\"max_tokens\":64", "\"max_tokens\":64,\"stop_sequences\":[\".\"]", StringComparison.Ordinal));

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)json["content"]![0]!["text"], Is.EqualTo("one two"));
            Assert.That((string?)json["stop_reason"], Is.EqualTo("stop_sequence"));
            Assert.That((string?)json["stop_sequence"], Is.EqualTo("."));
        });
    }

    [Test]
    public async Task Messages_NoVersionHeader_Returns400InvalidRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Messages) { Content = new StringContent(Hello, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", FakeAnthropicServer.DefaultApiKey);

        using var response = await _http.SendAsync(request);

        await AssertErrorAsync(response, 400, "invalid_request_error", "anthropic-version: header is required");
    }

    [TestCase(null, "x-api-key header is required")]
    [TestCase("wrong-key", "invalid x-api-key")]
    public async Task Messages_NoOrWrongKey_Returns401AuthenticationError(string? key, string message)
    {
        using var response = await PostAsync(Hello, key);

        await AssertErrorAsync(response, 401, "authentication_error", message);
    }

    [Test]
    public async Task Messages_BearerKey_IsAccepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Messages) { Content = new StringContent(Hello, Encoding.UTF8, "application/json") };
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("Authorization", "Bearer " + FakeAnthropicServer.DefaultApiKey);

        using var response = await _http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("""{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"hi"}]}""", "max_tokens: Field required")]
    [TestCase("""{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"user":"u1"}""", "user: Extra inputs are not permitted")]
    [TestCase("""{"model":"claude-haiku-4-5","max_tokens":5,"messages":[]}""", "messages: at least one message is required")]
    [TestCase("""{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}]}""", "messages.0.role: Input should be 'user' or 'assistant'")]
    [TestCase("""{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"assistant","content":"Hi!"},{"role":"user","content":"hi"}]}""", "messages: first message must use the \"user\" role")]
    [TestCase("""{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":""}]}]}""", "messages: text content blocks must be non-empty")]
    [TestCase("""{"model":"claude-haiku-4-5","max_tokens":5,"temperature":1.5,"messages":[{"role":"user","content":"hi"}]}""", "temperature: Input should be less than or equal to 1")]
    [TestCase("""{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_x","content":"21"}]}]}""", "messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_x.")]
    [TestCase("""{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_y","name":"f","input":{}}]},{"role":"user","content":"and?"}]}""", "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_y.")]
    [TestCase("""{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"output_config":{"format":{"type":"json_schema","schema":{"type":"object","properties":{"a":{"type":"string"}}}}}}""", "output_config.format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false")]
    public async Task Messages_InvalidBody_Returns400AsTheRealApi(string body, string message)
    {
        using var response = await PostAsync(body);

        await AssertErrorAsync(response, 400, "invalid_request_error", message);
    }

    [Test]
    public async Task Messages_UnknownModel_Returns404NotFound()
    {
        using var response = await PostAsync(Hello.Replace("claude-haiku-4-5", "claude-nonexistent", StringComparison.Ordinal));

        await AssertErrorAsync(response, 404, "not_found_error", "model: claude-nonexistent");
    }

    [Test]
    public async Task Messages_StructuredOutput_AnswersASampleOfTheSchema()
    {
        const string body = """{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"Capital of France?"}],"output_config":{"format":{"type":"json_schema","schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}}}""";

        using var response = await PostAsync(body);

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(JsonNode.Parse((string)json["content"]![0]!["text"]!)!["city"]!.GetValue<string>(), Is.EqualTo("echo: Capital of France?"));
    }

    [Test]
    public async Task UnknownPath_Returns404AndIsNotCounted()
    {
        using var response = await PostAsync(Hello, path: "/v1/complete");

        Assert.Multiple(async () =>
        {
            await AssertErrorAsync(response, 404, "not_found_error", "Not Found");
            Assert.That(_fake.CallCount, Is.Zero);
        });
    }

    private static T As<T>(object? value)
        where T : class =>
        value as T ?? throw new AssertionException($"Expected a {typeof(T).Name}, got {value?.GetType().Name ?? "null"}.");

    private static MessageCreateParams WeatherQuestion() => new()
    {
        Model = FakeAnthropicServer.DefaultModel,
        MaxTokens = 256,
        Messages = [new UserMessageParam("What is the weather in Paris?")],
        Tools =
        [
            new Tool
            {
                Name = "get_weather",
                Description = "Gets the current weather in a city",
                InputSchema = new InputSchema
                {
                    Properties = new Dictionary<string, JsonElement> { ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }) },
                    Required = ["city"],
                },
            },
        ],
    };

    private async Task<HttpResponseMessage> PostAsync(string body, string? key = FakeAnthropicServer.DefaultApiKey, string path = Messages)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("anthropic-version", "2023-06-01");
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        return await _http.SendAsync(request);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, int status, string type, string message)
    {
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status));
            Assert.That((string?)json["type"], Is.EqualTo("error"));
            Assert.That((string?)json["error"]!["type"], Is.EqualTo(type));
            Assert.That((string?)json["error"]!["message"], Does.StartWith(message));
            Assert.That((string?)json["request_id"], Does.StartWith("req_"));
            Assert.That(response.Headers.GetValues("request-id").Single(), Does.StartWith("req_"));
        });
    }
}
