using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentApi.Core;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure;
using AgentApi.Infrastructure.Providers;
using AgentApi.Infrastructure.Providers.Anthropic;
using AgentApi.Infrastructure.Providers.Resilience;
using AgentApi.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Refit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentApi.Tests.Unit;

/// <summary>
/// The executor on Anthropic's Messages API as DI builds it (Refit, Polly, the attempt handler, the auth handler), with a stub
/// handler where the socket would be: the request JSON it writes, how it reads buffered and streamed answers, and how it
/// translates Anthropic's failures.
/// </summary>
[TestFixture]
public sealed class AnthropicChatModelTests
{
    private const string Key = "sk-ant-test-0123456789";
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";

    private static readonly ToolDefinition Weather = new("get_weather", "Gets the weather", WeatherSchema);

    [Test]
    public async Task CompleteAsync_EverythingSet_SendsTheMessagesApiRequestExactly()
    {
        var stub = new StubHandler(_ => Json(HttpStatusCode.OK, Fakes.FakeAnthropicServer.SuccessBody("ok")));
        var request = new ChatRequest(
            "What is the weather in Paris?",
            "Be brief.",
            MaxOutputTokens: 300,
            Temperature: 1.4,
            History: [new ChatTurn(ChatRole.Assistant, "Hi! How can I help?"), new ChatTurn(ChatRole.User, "Hello"), new ChatTurn(ChatRole.User, "I have a question")])
        {
            Sampling = new Sampling(TopP: 0.9, Stop: ["END"], Seed: 7, PresencePenalty: 0.5, FrequencyPenalty: 0.5),
            EndUser = "user-42",
            Tools = new ToolSet([Weather], ToolChoice.Required, ParallelToolCalls: false),
            ToolTurns =
            [
                new ChatTurn(ChatRole.Assistant, "") { ToolCalls = [new ToolCall("toolu_1", "get_weather", """{"city":"Paris"}"""), new ToolCall("toolu_2", "get_weather", "")] },
                new ChatTurn(ChatRole.Tool, "21 degrees") { ToolCallId = "toolu_1" },
                new ChatTurn(ChatRole.Tool, "") { ToolCallId = "toolu_2" },
            ],
        };

        await Buffered(stub).CompleteAsync(request, CancellationToken.None);

        const string expected = """
            {"model":"claude-haiku-4-5","max_tokens":300,
             "messages":[
               {"role":"user","content":[{"type":"text","text":"(conversation start)"}]},
               {"role":"assistant","content":[{"type":"text","text":"Hi! How can I help?"}]},
               {"role":"user","content":[{"type":"text","text":"Hello"},{"type":"text","text":"I have a question"},{"type":"text","text":"What is the weather in Paris?"}]},
               {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},{"type":"tool_use","id":"toolu_2","name":"get_weather","input":{}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"21 degrees"},{"type":"tool_result","tool_use_id":"toolu_2"}]}],
             "system":"Be brief.",
             "temperature":1,
             "stop_sequences":["END"],
             "metadata":{"user_id":"user-42"},
             "tools":[{"name":"get_weather","description":"Gets the weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
             "tool_choice":{"type":"any","disable_parallel_tool_use":true}}
            """;
        var sent = stub.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(sent.Body), JsonNode.Parse(expected)), Is.True, sent.Body);
            Assert.That(sent.Uri, Is.EqualTo("https://anthropic.test/v1/messages"));
            Assert.That(sent.Headers["x-api-key"], Is.EqualTo(Key));
            Assert.That(sent.Headers["anthropic-version"], Is.EqualTo("2023-06-01"));
            Assert.That(sent.Headers.ContainsKey("Authorization"), Is.False, "the key goes in x-api-key only");
        });
    }

    [Test]
    public async Task CompleteAsync_NoLimitTopPNamedToolSchema_SendsDefaultMaxTokensTopPToolChoiceAndClosedSchema()
    {
        var stub = new StubHandler(_ => Json(HttpStatusCode.OK, Fakes.FakeAnthropicServer.SuccessBody("{}")));
        var request = new ChatRequest("Capital of France?")
        {
            Sampling = new Sampling(TopP: 0.5),
            Tools = new ToolSet([Weather], ToolChoice.Function("get_weather")),
            ResponseFormat = ResponseFormat.JsonSchema("capital", """{"type":"object","properties":{"city":{"type":"string"},"where":{"type":"object","properties":{"country":{"type":"string"}}}},"required":["city"]}"""),
        };

        await Buffered(stub).CompleteAsync(request, CancellationToken.None);

        var body = JsonNode.Parse(stub.Requests.Single().Body)!;
        const string closedSchema = """{"type":"object","properties":{"city":{"type":"string"},"where":{"type":"object","properties":{"country":{"type":"string"}},"additionalProperties":false}},"required":["city"],"additionalProperties":false}""";
        Assert.Multiple(() =>
        {
            Assert.That((int?)body["max_tokens"], Is.EqualTo(AnthropicRequestBuilder.DefaultMaxTokens));
            Assert.That((double?)body["top_p"], Is.EqualTo(0.5));
            Assert.That(body.AsObject().ContainsKey("temperature"), Is.False);
            Assert.That(body.AsObject().ContainsKey("system"), Is.False);
            Assert.That(JsonNode.DeepEquals(body["tool_choice"], JsonNode.Parse("""{"type":"tool","name":"get_weather"}""")), Is.True);
            Assert.That(JsonNode.DeepEquals(body["output_config"], JsonNode.Parse("""{"format":{"type":"json_schema","schema":""" + closedSchema + "}}")), Is.True, body.ToJsonString());
            Assert.That(JsonNode.DeepEquals(body["messages"], JsonNode.Parse("""[{"role":"user","content":[{"type":"text","text":"Capital of France?"}]}]""")), Is.True);
        });
    }

    [TestCase(ToolChoiceMode.Auto, false, """{"type":"auto","disable_parallel_tool_use":true}""")]
    [TestCase(ToolChoiceMode.None, false, """{"type":"none"}""")]
    [TestCase(ToolChoiceMode.Auto, true, """{"type":"auto"}""")]
    public async Task CompleteAsync_ToolChoiceAndParallelCalls_MapsToAnthropicsToolChoice(ToolChoiceMode mode, bool parallel, string expected)
    {
        var stub = new StubHandler(_ => Json(HttpStatusCode.OK, Fakes.FakeAnthropicServer.SuccessBody("ok")));

        await Buffered(stub).CompleteAsync(new ChatRequest("hi") { Tools = new ToolSet([Weather], new ToolChoice(mode), parallel) }, CancellationToken.None);

        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(stub.Requests.Single().Body)!["tool_choice"], JsonNode.Parse(expected)), Is.True);
    }

    [Test]
    public void CompleteAsync_JsonMode_IsRejectedNamingTheLimitWithoutACall()
    {
        var stub = new StubHandler(_ => Json(HttpStatusCode.OK, Fakes.FakeAnthropicServer.SuccessBody("ok")));

        var failure = Assert.ThrowsAsync<ProviderException>(() => Executor(stub).CompleteAsync(new ChatRequest("json please") { ResponseFormat = ResponseFormat.JsonObject }, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.Rejected));
            Assert.That(failure.Message, Does.Contain("no JSON mode"));
            Assert.That(stub.Calls, Is.Zero);
        });
    }

    [Test]
    public async Task CompleteAsync_TextAndToolUseWithCachedInput_ReadsTextCallsUsageAndFinish()
    {
        const string body = """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001",
             "content":[{"type":"thinking","thinking":"hmm","signature":"x"},{"type":"text","text":"Let me check."},
                        {"type":"tool_use","id":"toolu_9","name":"get_weather","input":{"city":"Paris"},"caller":{"type":"direct"}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":10,"cache_creation_input_tokens":5,"cache_read_input_tokens":100,"output_tokens":20}}
            """;
        var stub = new StubHandler(_ => Json(HttpStatusCode.OK, body));

        var completion = await Buffered(stub).CompleteAsync(new ChatRequest("weather?"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(completion.Text, Is.EqualTo("Let me check."));
            Assert.That(completion.ToolCalls, Is.EqualTo(new[] { new ToolCall("toolu_9", "get_weather", """{"city":"Paris"}""") }));
            Assert.That(completion.FinishReason, Is.EqualTo(FinishReason.ToolCalls));
            Assert.That(completion.Usage, Is.EqualTo(new TokenUsage(115, 20)), "input counts the cache writes and reads");
            Assert.That(completion.Model, Is.EqualTo("claude-haiku-4-5-20251001"));
        });
    }

    [Test]
    public async Task StreamAsync_TextThenToolUse_YieldsPiecesAndAFinalWithUsage()
    {
        const string wire = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_read_input_tokens":5,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" check."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{},"caller":{"type":"direct"}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \"Paris\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: content_block_start
            data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_2","name":"get_time","input":{}}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":2}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}}

            event: message_stop
            data: {"type":"message_stop"}


            """;
        var stub = new StubHandler(_ => EventStream(wire));

        var updates = await CollectAsync(Executor(stub).StreamAsync(new ChatRequest("weather?"), CancellationToken.None));

        var final = updates[^1].Completion!;
        Assert.Multiple(() =>
        {
            Assert.That(updates.Where(u => u.Text.Length > 0).Select(u => u.Text), Is.EqualTo((string[])["Let me", " check."]));
            Assert.That(updates.Where(u => u.ToolCall is not null).Select(u => u.ToolCall), Is.EqualTo(new[]
            {
                new ToolCallDelta(0, "toolu_1", "get_weather", ""),
                new ToolCallDelta(0, null, null, "{\"city\":"),
                new ToolCallDelta(0, null, null, " \"Paris\"}"),
                new ToolCallDelta(1, "toolu_2", "get_time", ""),
                new ToolCallDelta(1, null, null, "{}"),
            }), "the index counts tool_use blocks, not content blocks; a call without input streams {}");
            Assert.That(final.Text, Is.EqualTo("Let me check."));
            Assert.That(final.ToolCalls, Is.EqualTo(new[] { new ToolCall("toolu_1", "get_weather", "{\"city\": \"Paris\"}"), new ToolCall("toolu_2", "get_time", "{}") }));
            Assert.That(final.Usage, Is.EqualTo(new TokenUsage(30, 42)), "input from message_start, cumulative output from message_delta");
            Assert.That(final.FinishReason, Is.EqualTo(FinishReason.ToolCalls));
            Assert.That(JsonNode.Parse(stub.Requests.Single().Body)!["stream"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public void StreamAsync_ErrorEventAfterText_FailsAsUpstreamErrorAfterTheText()
    {
        const string wire = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Half"}}

            event: error
            data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}


            """;
        var stub = new StubHandler(_ => EventStream(wire));
        var texts = new List<string>();

        var failure = Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in Executor(stub).StreamAsync(new ChatRequest("hi"), CancellationToken.None))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Multiple(() =>
        {
            Assert.That(texts, Is.EqualTo((string[])["Half"]));
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.UpstreamError));
            Assert.That(failure.ProviderStatusCode, Is.EqualTo(200));
            Assert.That(failure.ProviderDetail, Does.Contain("overloaded_error"));
        });
    }

    [Test]
    public void StreamAsync_BodyEndsBeforeMessageStop_FailsAsBrokenOff()
    {
        const string wire = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}


            """;
        var stub = new StubHandler(_ => EventStream(wire));

        var failure = Assert.ThrowsAsync<ProviderException>(() => CollectAsync(Executor(stub).StreamAsync(new ChatRequest("hi"), CancellationToken.None)));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.UpstreamError));
            Assert.That(failure.Message, Does.Contain("broke off"));
        });
    }

    [Test]
    public async Task StreamAsync_StallLongerThanTheAttemptTimeout_FailsAsTimeout()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-haiku-4-5\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n"));
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(pipe.Reader.AsStream()) { Headers = { ContentType = new("text/event-stream") } },
        });

        var failure = Assert.ThrowsAsync<ProviderException>(() => CollectAsync(Executor(stub, attemptTimeoutSeconds: "0.3").StreamAsync(new ChatRequest("hi"), CancellationToken.None)));

        Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.Timeout));
        await pipe.Writer.CompleteAsync();
    }

    [Test]
    public void CompleteAsync_529EveryTime_IsRetriedThenUnavailable()
    {
        var stub = new StubHandler(_ => Json((HttpStatusCode)529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}"""));

        var failure = Assert.ThrowsAsync<ProviderException>(() => Executor(stub).CompleteAsync(new ChatRequest("hi"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.Unavailable));
            Assert.That(failure.ProviderStatusCode, Is.EqualTo(529));
            Assert.That(stub.Calls, Is.EqualTo(3), "every attempt");
            Assert.That(failure.ProviderDetail, Is.EqualTo("overloaded_error: Overloaded"));
        });
    }

    [Test]
    public async Task StreamAsync_529ThenOk_RetriesBeforeTheFirstByte()
    {
        var stub = new StubHandler(call => call == 1
            ? Json((HttpStatusCode)529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""")
            : EventStream("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-haiku-4-5\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));

        var updates = await CollectAsync(Executor(stub).StreamAsync(new ChatRequest("hi"), CancellationToken.None));

        Assert.That(updates[^1].Completion!.Attempts, Is.EqualTo(2));
    }

    [TestCase(402, """{"type":"error","error":{"type":"billing_error","message":"Your account has a billing issue."}}""")]
    [TestCase(400, """{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}""")]
    public void CompleteAsync_OutOfCredit_IsQuotaExhaustedWithoutRetry(int status, string body)
    {
        var stub = new StubHandler(_ => Json((HttpStatusCode)status, body));

        var failure = Assert.ThrowsAsync<ProviderException>(() => Executor(stub).CompleteAsync(new ChatRequest("hi"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.QuotaExhausted));
            Assert.That(stub.Calls, Is.EqualTo(1));
        });
    }

    [Test]
    public void CompleteAsync_429WithRetryAfterPastTheDeadline_IsRateLimitedWithTheWait()
    {
        var stub = new StubHandler(_ =>
        {
            var response = Json(HttpStatusCode.TooManyRequests, """{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit."}}""");
            response.Headers.Add("retry-after", "30");
            return response;
        });

        var failure = Assert.ThrowsAsync<ProviderException>(() => Executor(stub).CompleteAsync(new ChatRequest("hi", Deadline: DateTimeOffset.UtcNow.AddSeconds(5)), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.RateLimited));
            Assert.That(failure.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(stub.Calls, Is.EqualTo(1));
        });
    }

    [Test]
    public void CompleteAsync_401_IsRejectedNamingTheKeySettingNotTheKey()
    {
        var stub = new StubHandler(_ => Json(HttpStatusCode.Unauthorized, """{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"""));

        var failure = Assert.ThrowsAsync<ProviderException>(() => Executor(stub).CompleteAsync(new ChatRequest("hi"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.Rejected));
            Assert.That(failure.ProviderStatusCode, Is.EqualTo(401));
            Assert.That(stub.Calls, Is.EqualTo(1));
            Assert.That(failure.Message + failure.ProviderDetail, Does.Not.Contain(Key));
        });
    }

    [TestCase("end_turn", FinishReason.Stop)]
    [TestCase("stop_sequence", FinishReason.Stop)]
    [TestCase("max_tokens", FinishReason.Length)]
    [TestCase("model_context_window_exceeded", FinishReason.Length)]
    [TestCase("tool_use", FinishReason.ToolCalls)]
    [TestCase("refusal", FinishReason.ContentFilter)]
    [TestCase("pause_turn", FinishReason.Other)]
    public void MapFinishReason_EveryStopReason_Normalises(string reason, FinishReason expected)
    {
        Assert.That(AnthropicChatModel.MapFinishReason(reason), Is.EqualTo(expected));
    }

    private static async Task<List<ChatStreamUpdate>> CollectAsync(IAsyncEnumerable<ChatStreamUpdate> updates)
    {
        var all = new List<ChatStreamUpdate>();
        await foreach (var update in updates)
        {
            all.Add(update);
        }

        return all;
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage EventStream(string wire) =>
        new(HttpStatusCode.OK) { Content = new StringContent(wire, Encoding.UTF8, "text/event-stream") };

    /// <summary>
    /// A buffered call on the anthropic protocol, as an orchestrator on it makes one (the executor's answer is always streamed
    /// from the provider, docs/decisions/0004): the real client over the auth handler, <paramref name="stub"/> as the socket.
    /// The request's translation is the same for both roles.
    /// </summary>
    private static AnthropicChatModel Buffered(StubHandler stub)
    {
        var channel = new ProviderChannel(ModelRole.Orchestrator, ProviderProtocol.Anthropic, new Uri("https://anthropic.test/v1"), Key, "claude-haiku-4-5", null, TimeSpan.FromSeconds(30));
        var http = new HttpClient(new ProviderAuthHandler(channel) { InnerHandler = stub }) { BaseAddress = channel.BaseUrl };
        var policies = new ProviderPolicies(Options.Create(new ResilienceOptions()), TimeProvider.System, NullLogger<ProviderPolicies>.Instance, TestMetrics.Create());
        var api = RestService.ForGenerated<IAnthropicApi>(http, new RefitSettings(new SystemTextJsonContentSerializer(AnthropicJsonContext.Default.Options)));
        return new AnthropicChatModel(api, http, channel, policies, NullLogger<AnthropicChatModel>.Instance);
    }

    /// <summary>The executor on the anthropic protocol as DI builds it, with <paramref name="stub"/> where the socket would be.</summary>
    private static IChatModel Executor(StubHandler stub, string attemptTimeoutSeconds = "30") => Model(stub, ModelRole.Executor, attemptTimeoutSeconds);

    private static IChatModel Model(StubHandler stub, string role, string attemptTimeoutSeconds)
    {
        const string section = "Executor";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{section}:Protocol"] = "anthropic",
            [$"{section}:ApiKey"] = Key,
            [$"{section}:BaseUrl"] = "https://anthropic.test/v1",
            [$"{section}:Model"] = "claude-haiku-4-5",
            ["Orchestrator:ApiKey"] = "gemini-key",
            ["Ask:ExecutorAttemptTimeoutSeconds"] = attemptTimeoutSeconds,
            ["Resilience:BaseDelayMilliseconds"] = "1",
            ["Resilience:MaxDelayMilliseconds"] = "2",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddMetrics();
        services.AddCore().AddInfrastructure(configuration);
        services.AddHttpClient(role).ConfigurePrimaryHttpMessageHandler(() => stub);
        return services.BuildServiceProvider().GetRequiredKeyedService<IChatModel>(role);
    }

    private sealed record SentRequest(string Uri, IReadOnlyDictionary<string, string> Headers, string Body);

    private sealed class StubHandler(Func<int, HttpResponseMessage> respond) : HttpMessageHandler
    {
        private readonly List<SentRequest> _requests = [];
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public IReadOnlyList<SentRequest> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            var headers = request.Headers.ToDictionary(header => header.Key, header => string.Join(", ", header.Value), StringComparer.OrdinalIgnoreCase);
            lock (_requests)
            {
                _requests.Add(new SentRequest(request.RequestUri!.ToString(), headers, body));
            }

            var response = respond(Interlocked.Increment(ref _calls));
            response.RequestMessage = request;
            return response;
        }
    }
}
