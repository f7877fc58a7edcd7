using System.Net;
using System.Text;
using AgentApi.Core;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentApi.Tests.Unit;

/// <summary>
/// The executor on the Gemini protocol as DI builds it (Refit, Polly, the attempt handler, error translation), with a
/// stub handler where the socket would be: the streamed wire format read as it arrives, function calls, usage, and a
/// stream that is cut, stalls or carries an error.
/// </summary>
[TestFixture]
public sealed class GeminiChatModelTests
{
    private const string Key = "gemini-test-key-0123456789";

    // The shared reference's stream-generate-content.sse.txt: CRLF events, usage on every chunk, the last one's the total.
    private const string ReferenceStream =
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"AI learns\"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":8}]},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"c3RyZWFtUmVzcG9uc2VJZA\"}\r\n\r\n"
        + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" patterns from data to make\"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":8}]},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"c3RyZWFtUmVzcG9uc2VJZA\"}\r\n\r\n"
        + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" predictions or decisions.\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":12,\"totalTokenCount\":20,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":8}]},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"c3RyZWFtUmVzcG9uc2VJZA\"}\r\n\r\n";

    private const string FirstChunk = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"AI learns\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n";

    [Test]
    public async Task StreamAsync_ReferenceStream_YieldsTheDeltasThenUsageAndFinish()
    {
        var stub = new StubHandler(_ => EventStream(ReferenceStream));

        var updates = await CollectAsync(Executor(stub).StreamAsync(Request(), CancellationToken.None));

        var request = stub.Requests.Single();
        var completion = updates[^1].Completion!;
        string[] deltas = ["AI learns", " patterns from data to make", " predictions or decisions."];
        Assert.Multiple(() =>
        {
            Assert.That(request.Path, Is.EqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent"));
            Assert.That(request.Query, Is.EqualTo("?alt=sse"), "the key travels in a header, never in the URL");
            Assert.That(request.ApiKey, Is.EqualTo(Key));
            Assert.That(updates.Where(u => u.Completion is null).Select(u => u.Text), Is.EqualTo(deltas));
            Assert.That(completion.Text, Is.EqualTo("AI learns patterns from data to make predictions or decisions."));
            Assert.That(completion.Usage, Is.EqualTo(new TokenUsage(8, 12)), "the last chunk's usage");
            Assert.That(completion.FinishReason, Is.EqualTo(FinishReason.Stop));
            Assert.That(completion.Model, Is.EqualTo("gemini-2.5-flash"));
        });
    }

    [Test]
    public async Task StreamAsync_FunctionCalls_YieldsEachCallWholeWithAnIdThenToolCalls()
    {
        const string chunk = """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"c2lnbmF0dXJl"},{"functionCall":{"name":"get_time","args":{}}}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":10,"thoughtsTokenCount":40,"totalTokenCount":80},"modelVersion":"gemini-2.5-flash"}""";
        var stub = new StubHandler(_ => EventStream($"data: {chunk}\n\n"));

        var updates = await CollectAsync(Executor(stub).StreamAsync(Request(), CancellationToken.None));

        var pieces = updates.Select(u => u.ToolCall).OfType<ToolCallDelta>().ToList();
        var completion = updates[^1].Completion!;
        Assert.Multiple(() =>
        {
            Assert.That(pieces.Select(p => (p.Index, p.Name, p.Arguments)), Is.EqualTo(new[] { (0, "get_weather", """{"city":"Paris"}"""), (1, "get_time", "{}") }));
            Assert.That(pieces.Select(p => p.Id), Has.All.Matches("^call_[0-9a-f]{24}$"));
            Assert.That(pieces[0].Id, Is.Not.EqualTo(pieces[1].Id));
            Assert.That(completion.ToolCalls.Select(c => c.Id), Is.EqualTo(pieces.Select(p => p.Id)), "the final answer names the calls as the pieces did");
            Assert.That(completion.FinishReason, Is.EqualTo(FinishReason.ToolCalls), "STOP with calls: the caller must run them");
            Assert.That(completion.Usage, Is.EqualTo(new TokenUsage(30, 50)), "thoughts are billed as output");
            Assert.That(completion.Text, Is.Empty);
        });
    }

    [Test]
    public async Task StreamAsync_ThoughtPartsAndAnApiCallId_SkipsTheThoughtsAndKeepsTheId()
    {
        const string chunk = """{"candidates":[{"content":{"parts":[{"text":"Let me think...","thought":true},{"text":"Answer."},{"functionCall":{"id":"fc-1","name":"f","args":{}}}],"role":"model"},"finishReason":"STOP","index":0}]}""";
        var stub = new StubHandler(_ => EventStream($"data: {chunk}\r\n\r\n"));

        var updates = await CollectAsync(Executor(stub).StreamAsync(Request(), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo("Answer."));
            Assert.That(updates[^1].Completion!.ToolCalls.Single().Id, Is.EqualTo("fc-1"));
        });
    }

    [Test]
    public async Task StreamAsync_PromptBlocked_EndsWithAContentFilteredAnswer()
    {
        const string chunk = """{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":11,"totalTokenCount":11},"modelVersion":"gemini-2.5-flash"}""";
        var stub = new StubHandler(_ => EventStream($"data: {chunk}\r\n\r\n"));

        var updates = await CollectAsync(Executor(stub).StreamAsync(Request(), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(updates.Single().Completion!.FinishReason, Is.EqualTo(FinishReason.ContentFilter));
            Assert.That(updates.Single().Completion!.Usage.Input, Is.EqualTo(11));
        });
    }

    [TestCase("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"AI learns\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\ndata: {\"candidates\":[{\"content\":{\"parts\":[{\"te", TestName = "StreamAsync_BodyCutInsideAnEvent_FailsAfterTheTextItGave")]
    [TestCase(FirstChunk, TestName = "StreamAsync_BodyEndsWithoutAFinishReason_FailsAfterTheTextItGave")]
    public void StreamAsync_IncompleteBody_IsUpstreamErrorAfterTheTextItGave(string body)
    {
        var stub = new StubHandler(_ => EventStream(body));
        var received = new List<ChatStreamUpdate>();
        string[] given = ["AI learns"];

        var failure = Assert.ThrowsAsync<ProviderException>(() => CollectAsync(Executor(stub).StreamAsync(Request(), CancellationToken.None), received));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.UpstreamError));
            Assert.That(failure.Message, Does.Contain("broke off"));
            Assert.That(received.Select(u => u.Text), Is.EqualTo(given));
            Assert.That(stub.Requests, Has.Count.EqualTo(1), "no retry once the answer started");
        });
    }

    [Test]
    public void StreamAsync_StallLongerThanTheAttemptTimeout_IsATimeout()
    {
        var stub = new StubHandler(_ => EventStream(FirstChunk, stall: true));

        var failure = Assert.ThrowsAsync<ProviderException>(() => CollectAsync(Executor(stub, attemptTimeoutSeconds: 1).StreamAsync(Request(), CancellationToken.None)));

        Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.Timeout));
    }

    [TestCase("data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n", TestName = "StreamAsync_ErrorInADataEvent_IsUpstreamErrorWithTheProvidersWords")]
    [TestCase("{\n  \"error\": {\n    \"code\": 503,\n    \"message\": \"The model is overloaded. Please try again later.\",\n    \"status\": \"UNAVAILABLE\"\n  }\n}\r\n\r\n", TestName = "StreamAsync_ErrorObjectWithoutData_IsUpstreamErrorWithTheProvidersWords")]
    public void StreamAsync_ErrorMidStream_IsUpstreamErrorWithTheProvidersWords(string error)
    {
        var stub = new StubHandler(_ => EventStream(FirstChunk + error));

        var failure = Assert.ThrowsAsync<ProviderException>(() => CollectAsync(Executor(stub).StreamAsync(Request(), CancellationToken.None)));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.UpstreamError));
            Assert.That(failure.Message, Does.Contain("while writing its answer"));
            Assert.That(failure.ProviderDetail, Does.Contain("UNAVAILABLE").And.Contain("overloaded"));
        });
    }

    [Test]
    public void StreamAsync_ChunkThatIsNotJson_IsInvalidResponse()
    {
        var stub = new StubHandler(_ => EventStream(FirstChunk + "data: {\"candidates\":[{\"con\r\n\r\n"));

        var failure = Assert.ThrowsAsync<ProviderException>(() => CollectAsync(Executor(stub).StreamAsync(Request(), CancellationToken.None)));

        Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.InvalidResponse));
    }

    [Test]
    public async Task StreamAsync_503ThenAStream_RetriesBeforeTheFirstByte()
    {
        var stub = new StubHandler(call => call == 1
            ? Json(HttpStatusCode.ServiceUnavailable, """{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}""")
            : EventStream(ReferenceStream));

        var updates = await CollectAsync(Executor(stub).StreamAsync(Request(), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(updates[^1].Completion!.Attempts, Is.EqualTo(2));
            Assert.That(stub.Requests, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task CompleteAsync_FunctionCall_IsAToolCallsAnswerCollectedFromTheStream()
    {
        // The executor's buffered call is streamed from the provider too (docs/decisions/0004): timed to its first byte.
        var stub = new StubHandler(_ => EventStream("data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":30,\"candidatesTokenCount\":10,\"totalTokenCount\":40}}\r\n\r\n"));

        var completion = await Executor(stub).CompleteAsync(Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(stub.Requests.Single().Path, Is.EqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent"));
            Assert.That(completion.FinishReason, Is.EqualTo(FinishReason.ToolCalls));
            Assert.That(completion.ToolCalls.Single().Arguments, Is.EqualTo("""{"city":"Paris"}"""));
            Assert.That(completion.ToolCalls.Single().Id, Does.Match("^call_[0-9a-f]{24}$"));
        });
    }

    [Test]
    public void StreamAsync_GemmaModelWithTools_IsRefusedWithoutACall()
    {
        var stub = new StubHandler(_ => EventStream(ReferenceStream));
        var request = Request() with { Model = "gemma-3-27b-it", Tools = new ToolSet([new ToolDefinition("get_weather")]) };

        var failure = Assert.ThrowsAsync<ProviderException>(() => CollectAsync(Executor(stub).StreamAsync(request, CancellationToken.None)));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.Rejected));
            Assert.That(failure.Message, Does.Contain("Gemma model"));
            Assert.That(stub.Requests, Is.Empty);
        });
    }

    private static ChatRequest Request() =>
        new("Explain how AI works in a few words", "Be brief.", 256, Deadline: DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30));

    private static async Task<List<ChatStreamUpdate>> CollectAsync(IAsyncEnumerable<ChatStreamUpdate> updates, List<ChatStreamUpdate>? into = null)
    {
        into ??= [];
        await foreach (var update in updates)
        {
            into.Add(update);
        }

        return into;
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage EventStream(string body, bool stall = false)
    {
        var content = new StreamContent(new ScriptedStream(Encoding.UTF8.GetBytes(body), stall));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    /// <summary>The executor as DI builds it on the Gemini protocol, with <paramref name="stub"/> where the socket would be.</summary>
    private static IChatModel Executor(StubHandler stub, double attemptTimeoutSeconds = 30)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Executor:Protocol"] = "gemini",
            ["Executor:ApiKey"] = Key,
            ["Executor:Model"] = "gemini-2.5-flash",
            ["Executor:BaseUrl"] = "https://gemini.test/v1beta",
            ["Orchestrator:ApiKey"] = "gemma-key",
            ["Ask:ExecutorAttemptTimeoutSeconds"] = attemptTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Resilience:BaseDelayMilliseconds"] = "1",
            ["Resilience:MaxDelayMilliseconds"] = "2",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddMetrics();
        services.AddCore().AddInfrastructure(configuration);
        services.AddHttpClient(ModelRole.Executor).ConfigurePrimaryHttpMessageHandler(() => stub);
        return services.BuildServiceProvider().GetRequiredKeyedService<IChatModel>(ModelRole.Executor);
    }

    private sealed record SeenRequest(string Path, string Query, string? ApiKey, string Body);

    private sealed class StubHandler(Func<int, HttpResponseMessage> respond) : HttpMessageHandler
    {
        private readonly List<SeenRequest> _requests = [];

        public IReadOnlyList<SeenRequest> Requests
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
            int call;
            lock (_requests)
            {
                _requests.Add(new SeenRequest(request.RequestUri!.AbsolutePath, request.RequestUri.Query, request.Headers.TryGetValues("x-goog-api-key", out var keys) ? keys.Single() : null, body));
                call = _requests.Count;
            }

            var response = respond(call);
            response.RequestMessage = request;
            return response;
        }
    }

    /// <summary>A body that gives its bytes, then ends or (<c>stall</c>) waits until the reader gives up.</summary>
    private sealed class ScriptedStream(byte[] bytes, bool stall) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < bytes.Length)
            {
                var count = Math.Min(buffer.Length, bytes.Length - _position);
                bytes.AsMemory(_position, count).CopyTo(buffer);
                _position += count;
                return count;
            }

            if (stall)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
