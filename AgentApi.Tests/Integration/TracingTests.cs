using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentApi.Core.Diagnostics;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;
using AgentApi.Tests.Support.Otlp;
using OpenTelemetry.Proto.Trace.V1;
using SpanKind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind;
using StatusCode = OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode;

namespace AgentApi.Tests.Integration;

/// <summary>
/// AgentApi's traces as a collector receives them: the app exports over OTLP/HTTP to a real receiver (<see cref="OtlpReceiver"/>,
/// decoding the official .proto messages), configured only by the standard OTEL_* variables, and each test reads back one
/// request's trace (found by its request ID): server span → steps → model calls → HTTP attempts, with the GenAI attributes
/// and AgentApi's. The test's own HttpClient is traced too (the app's tracer provider listens process-wide), so the
/// server span has a parent: a traced caller, as in production.
/// </summary>
[TestFixture]
public sealed partial class TracingTests
{
    private const string Gemma = "generate_content gemma-3-1b-it";
    private const string Chat = "chat gpt-4o-mini";

    private OtlpReceiver _receiver = null!;
    private AgentApiHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        _host = await AgentApiHost.StartAsync(settings =>
        {
            _receiver.ExportTo(settings);
            settings["LOG_LEVEL"] = "Information";
            settings["WARMUP_ASKS"] = "5";
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [SetUp]
    public void ResetFakes() => _host.ResetFakes();

    [Test]
    public async Task Ask_Buffered_IsOneTraceOfServerStepsCallsAndAttempts()
    {
        var requestId = NewRequestId();

        using var response = await PostAsync("/api/ask", new { query = Queries.Unique("What is the capital of France?") }, requestId);
        var trace = await TraceOfAsync(requestId);

        var server = Server(trace);
        var orchestrate = Child(trace, server, AgentApiActivity.Orchestrate);
        var gemma = Child(trace, orchestrate, Gemma);
        var gemmaHttp = Child(trace, gemma, "POST");
        var execute = Child(trace, server, AgentApiActivity.Execute);
        var chat = Child(trace, execute, Chat);
        var chatHttp = Child(trace, chat, "POST");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(server.Name, Is.EqualTo("POST api/ask"));
            Assert.That(server.Resource["service.name"], Is.EqualTo("agentapi-tests"), "OTEL_SERVICE_NAME wins over AgentApi's own name");
            Assert.That(server["agentapi.caller"], Is.EqualTo("anonymous"));
            Assert.That(server["agentapi.route"], Is.EqualTo("general"));
            Assert.That(server["agentapi.cache"], Is.EqualTo("miss"));
            Assert.That(server["agentapi.outcome"], Is.EqualTo("answered"));
            Assert.That(server["http.response.status_code"], Is.EqualTo(200L));
            Assert.That(orchestrate.Kind, Is.EqualTo(SpanKind.Internal));
            Assert.That(orchestrate["agentapi.route"], Is.EqualTo("general"));
            Assert.That(orchestrate.Attributes, Does.Not.ContainKey("agentapi.fallback_reason"));
            Assert.That(execute["agentapi.route"], Is.EqualTo("general"));

            Assert.That(gemma.Kind, Is.EqualTo(SpanKind.Client));
            Assert.That(gemma.Scope, Is.EqualTo(AgentApiActivity.SourceName));
            Assert.That(gemma["gen_ai.operation.name"], Is.EqualTo("generate_content"));
            Assert.That(gemma["gen_ai.provider.name"], Is.EqualTo("gcp.gemini"));
            Assert.That(gemma["gen_ai.request.model"], Is.EqualTo("gemma-3-1b-it"));
            Assert.That(gemma["agentapi.role"], Is.EqualTo("orchestrator"));
            Assert.That(gemma["server.address"], Is.EqualTo("127.0.0.1"));
            Assert.That(gemma["server.port"], Is.EqualTo((long)_host.Gemini.BaseUrl.Port));

            Assert.That(chat.Kind, Is.EqualTo(SpanKind.Client));
            Assert.That(chat["gen_ai.operation.name"], Is.EqualTo("chat"));
            Assert.That(chat["gen_ai.provider.name"], Is.EqualTo("openai"));
            Assert.That(chat["gen_ai.request.model"], Is.EqualTo("gpt-4o-mini"));
            Assert.That(chat["gen_ai.response.model"], Is.EqualTo("gpt-4o-mini-2024-07-18"));
            Assert.That(chat["gen_ai.usage.input_tokens"], Is.Positive);
            Assert.That(chat["gen_ai.usage.output_tokens"], Is.Positive);
            Assert.That(chat["gen_ai.response.finish_reasons"], Is.EqualTo(new object[] { "stop" }));
            Assert.That(chat["gen_ai.request.max_tokens"], Is.EqualTo(2048L));
            Assert.That(chat["agentapi.attempts"], Is.EqualTo(1L));
            Assert.That(chat.Status, Is.EqualTo(StatusCode.Unset));
            Assert.That(chat.Attributes.Keys, Has.None.StartsWith("gen_ai.input").And.None.StartsWith("gen_ai.output").And.None.EqualTo("gen_ai.system_instructions"),
                "prompts and answers only when the operator opts in");

            Assert.That(chatHttp["http.response.status_code"], Is.EqualTo(200L));
            Assert.That(_host.Gemini.Requests.Single().Headers["traceparent"], Does.StartWith($"00-{server.TraceId}-{gemmaHttp.SpanId}-"),
                "the provider is sent the attempt's span as its parent");
            Assert.That(_host.OpenAI.Requests.Single().Headers["traceparent"], Does.StartWith($"00-{server.TraceId}-{chatHttp.SpanId}-"));
            Assert.That(Descendants(trace, server), Has.All.Matches<ReceivedSpan>(span => span.Start >= server.Start && span.End <= server.End),
                "every step and call lies within the request");
        });
    }

    [Test]
    public async Task Ask_Buffered_LogLinesCarryTheTraceId()
    {
        var requestId = NewRequestId();

        using var response = await PostAsync("/api/ask", new { query = Queries.Unique("Which log line is mine?") }, requestId);
        var server = Server(await TraceOfAsync(requestId));
        await LogFiles.SettledAsync(_host.LogDirectory);

        var events = LogFiles.JsonEventsOf(_host.LogDirectory, requestId);
        var lines = LogFiles.ReadFrom(_host.LogDirectory, LogFiles.Text).Split('\n').Where(line => line.Contains($"[{requestId}]", StringComparison.Ordinal)).ToList();
        var summary = events.Single(e => e.GetProperty("EventName").GetString() == "AskCompleted");
        Assert.Multiple(() =>
        {
            Assert.That(events, Is.Not.Empty);
            Assert.That(events.Select(e => e.GetProperty("traceId").GetString()), Has.All.EqualTo(server.TraceId));
            Assert.That(summary.GetProperty("spanId").GetString(), Is.EqualTo(server.SpanId), "the summary is written in the request's server span");
            Assert.That(lines, Is.Not.Empty);
            Assert.That(lines, Has.All.Contain($"[{requestId}] [{server.TraceId}]"));
        });
    }

    [Test]
    public async Task AskStream_Answered_ModelCallAndServerSpanEndWithTheStream()
    {
        var requestId = NewRequestId();

        using var response = await PostAsync("/api/ask/stream", new { query = Queries.Unique("Stream the capital of France") }, requestId);
        var body = await response.Content.ReadAsStringAsync();
        var trace = await TraceOfAsync(requestId);

        var server = Server(trace);
        var execute = Child(trace, server, AgentApiActivity.Execute);
        var chat = Child(trace, execute, Chat);
        var chatHttp = Child(trace, chat, "POST");
        Assert.Multiple(() =>
        {
            Assert.That(body, Does.Contain("event: done"));
            Assert.That(server.Name, Is.EqualTo("POST api/ask/stream"));
            Assert.That(server["agentapi.outcome"], Is.EqualTo("answered"));
            Assert.That(chat["gen_ai.request.stream"], Is.EqualTo(true));
            Assert.That(chat["gen_ai.usage.output_tokens"], Is.Positive, "the usage chunk ends the stream");
            Assert.That(chat["gen_ai.response.finish_reasons"], Is.EqualTo(new object[] { "stop" }));
            Assert.That(chatHttp.End, Is.LessThanOrEqualTo(chat.End), "the attempt ends with the headers; the call with the last chunk");
            Assert.That(chat.End, Is.LessThanOrEqualTo(execute.End));
            Assert.That(execute.End, Is.LessThanOrEqualTo(server.End));
        });
    }

    [Test]
    public async Task AskStream_FailsAfterItStarted_ServerSpanIsAnErrorThoughItAnswered200()
    {
        _host.OpenAI.Enqueue(FakeResponse.Streamed(new FakeStreaming { ErrorAfter = 3 }));
        var requestId = NewRequestId();

        using var response = await PostAsync("/api/ask/stream", new { query = Queries.Unique("Break off mid-stream") }, requestId);
        var body = await response.Content.ReadAsStringAsync();
        var trace = await TraceOfAsync(requestId);

        var server = Server(trace);
        var chat = Child(trace, Child(trace, server, AgentApiActivity.Execute), Chat);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body, Does.Contain("event: error").And.Contain($"\"traceId\":\"{server.TraceId}\""), "the error event names the trace");
            Assert.That(chat.Status, Is.EqualTo(StatusCode.Error));
            Assert.That(chat["error.type"], Is.EqualTo("upstream_error"));
            Assert.That(server["http.response.status_code"], Is.EqualTo(200L));
            Assert.That(server.Status, Is.EqualTo(StatusCode.Error));
            Assert.That(server["error.type"], Is.EqualTo("upstream_error"));
            Assert.That(server["agentapi.outcome"], Is.EqualTo("failed after start"));
        });
    }

    [Test]
    public async Task AskStream_CallerLeaves_CallSpanEndsCancelled()
    {
        _host.OpenAI.Reply = _ => "one two three four five six seven eight";
        _host.OpenAI.Enqueue(FakeResponse.Streamed(new FakeStreaming { ChunkDelay = TimeSpan.FromMilliseconds(200) }));
        var requestId = NewRequestId();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ask/stream") { Content = JsonContent.Create(new { query = Queries.Unique("Leave me") }) };
        request.Headers.Add("X-Request-ID", requestId);

        using (var response = await _host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            var first = new byte[64];
            _ = await stream.ReadAsync(first);
        }

        var trace = await TraceOfAsync(requestId);
        var server = Server(trace);
        var chat = Child(trace, Child(trace, server, AgentApiActivity.Execute), Chat);
        Assert.Multiple(() =>
        {
            Assert.That(chat["error.type"], Is.EqualTo("cancelled"));
            Assert.That(chat.Attributes, Does.Not.ContainKey("gen_ai.usage.output_tokens"), "the stream never reached its usage chunk");
            Assert.That(server["agentapi.outcome"], Is.EqualTo("caller left"));
        });
    }

    [Test]
    public async Task Ask_ProviderFails_SpansSayWhyAndProblemCarriesTheTraceId()
    {
        _host.OpenAI.Enqueue(FakeOpenAIServer.ServerError(), FakeOpenAIServer.ServerError(), FakeOpenAIServer.ServerError());
        var requestId = NewRequestId();

        using var response = await PostAsync("/api/ask", new { query = Queries.Unique("Will this fail?") }, requestId);
        var problem = await AgentApiHost.JsonAsync(response);
        var trace = await TraceOfAsync(requestId);

        var server = Server(trace);
        var execute = Child(trace, server, AgentApiActivity.Execute);
        var chat = Child(trace, execute, Chat);
        var attempts = Children(trace, chat);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(problem.GetProperty("traceId").GetString(), Is.EqualTo(server.TraceId), "a caller's report names the trace");
            Assert.That(problem.GetProperty("requestId").GetString(), Is.EqualTo(requestId));

            Assert.That(attempts.Select(a => a["http.response.status_code"]), Is.EqualTo(new object[] { 500L, 500L, 500L }), "one HTTP span per attempt");
            Assert.That(chat.Status, Is.EqualTo(StatusCode.Error));
            Assert.That(chat["error.type"], Is.EqualTo("upstream_error"));
            Assert.That(chat["agentapi.attempts"], Is.EqualTo(3L));
            Assert.That(chat.StatusMessage, Does.Contain("executor provider failed (HTTP 500)"));
            Assert.That(chat.Events.Select(e => (e.Name, e["agentapi.attempt"], e["agentapi.reason"])),
                Is.EqualTo(new[] { ("agentapi.retry", (object?)2L, (object?)"HTTP 500"), ("agentapi.retry", 3L, "HTTP 500") }));
            Assert.That(execute.Status, Is.EqualTo(StatusCode.Error));
            Assert.That(execute["error.type"], Is.EqualTo("upstream_error"));
            Assert.That(server.Status, Is.EqualTo(StatusCode.Error));
            Assert.That(server["http.response.status_code"], Is.EqualTo(502L));
            Assert.That(server["error.type"], Is.EqualTo("upstream_error"), "the failure's kind, more than the status says");
            Assert.That(server["agentapi.outcome"], Is.EqualTo("failed"));
        });
    }

    [Test]
    public async Task Ask_ProviderRetried_OneCallSpanWithBothAttemptsAndARetryEvent()
    {
        _host.OpenAI.Enqueue(FakeOpenAIServer.ServerError(), FakeResponse.Default);
        var requestId = NewRequestId();

        using var response = await PostAsync("/api/ask", new { query = Queries.Unique("Retry me") }, requestId);
        var trace = await TraceOfAsync(requestId);

        var chat = Child(trace, Child(trace, Server(trace), AgentApiActivity.Execute), Chat);
        var attempts = Children(trace, chat);
        var retry = chat.Events.Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(attempts.Select(a => a["http.response.status_code"]), Is.EqualTo(new object[] { 500L, 200L }));
            Assert.That(chat.Status, Is.EqualTo(StatusCode.Unset));
            Assert.That(chat["agentapi.attempts"], Is.EqualTo(2L));
            Assert.That(retry.Name, Is.EqualTo("agentapi.retry"));
            Assert.That(retry["agentapi.attempt"], Is.EqualTo(2L));
            Assert.That(retry["agentapi.reason"], Is.EqualTo("HTTP 500"));
            Assert.That(retry.Time, Is.InRange(attempts[0].End, attempts[1].Start), "the retry is decided between the attempts");
        });
    }

    [Test]
    public async Task Ask_OrchestratorFails_FallbackReasonOnStepAndServerSpan()
    {
        _host.Gemini.Enqueue(FakeGeminiServer.InternalError(), FakeGeminiServer.InternalError(), FakeGeminiServer.InternalError());
        var requestId = NewRequestId();

        using var response = await PostAsync("/api/ask", new { query = Queries.Unique("Answer without a plan") }, requestId);
        var trace = await TraceOfAsync(requestId);

        var server = Server(trace);
        var orchestrate = Child(trace, server, AgentApiActivity.Orchestrate);
        var gemma = Child(trace, orchestrate, Gemma);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(gemma.Status, Is.EqualTo(StatusCode.Error));
            Assert.That(gemma["error.type"], Is.EqualTo("upstream_error"));
            Assert.That(orchestrate.Status, Is.EqualTo(StatusCode.Unset), "a fallback is an answer, not a failure");
            Assert.That(orchestrate["agentapi.fallback_reason"], Is.EqualTo("the orchestrator was unavailable"));
            Assert.That(server["agentapi.fallback_reason"], Is.EqualTo("the orchestrator was unavailable"));
            Assert.That(Child(trace, Child(trace, server, AgentApiActivity.Execute), Chat).Status, Is.EqualTo(StatusCode.Unset));
        });
    }

    [Test]
    public async Task Ask_CacheHit_ServerSpanOnlyWithTheCacheOutcome()
    {
        var query = Queries.Unique("Ask me twice");
        using (await PostAsync("/api/ask", new { query }, NewRequestId()))
        {
        }

        var requestId = NewRequestId();
        using var response = await PostAsync("/api/ask", new { query }, requestId);
        var trace = await TraceOfAsync(requestId);

        var server = Server(trace);
        Assert.Multiple(() =>
        {
            Assert.That(server["agentapi.cache"], Is.EqualTo("hit"));
            Assert.That(server["agentapi.route"], Is.EqualTo("general"));
            Assert.That(Children(trace, server), Is.Empty, "a hit calls no provider");
        });
    }

    [Test]
    public async Task Ask_IncomingTraceparent_IsContinued()
    {
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        const string parentId = "00f067aa0ba902b7";
        var requestId = NewRequestId();
        const string body = "{\"query\":\"Continue my trace\"}";

        // Raw: HttpClient's own instrumentation would replace the header with its span's.
        var response = await RawHttp.SendAsync(_host.BaseUrl,
            $"POST /api/ask HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Request-ID: {requestId}\r\ntraceparent: 00-{traceId}-{parentId}-01", body);
        var server = Server(await TraceOfAsync(requestId));
        await LogFiles.SettledAsync(_host.LogDirectory);

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(200));
            Assert.That(server.TraceId, Is.EqualTo(traceId));
            Assert.That(server.ParentSpanId, Is.EqualTo(parentId));
            Assert.That(_host.OpenAI.Requests.Single().Headers["traceparent"], Does.StartWith($"00-{traceId}-"));
            Assert.That(LogFiles.JsonEventsOf(_host.LogDirectory, requestId).Select(e => e.GetProperty("traceId").GetString()), Has.All.EqualTo(traceId).And.Not.Empty);
        });
    }

    [Test]
    public async Task WarmUp_Asks_AreNotTraced()
    {
        await Eventually.TrueAsync(async () =>
        {
            using var ready = await _host.Client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
            return ready.StatusCode == HttpStatusCode.OK;
        }, what: "the warm-up ended");
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        var spans = _receiver.Spans;
        Assert.Multiple(() =>
        {
            Assert.That(spans, Has.None.Matches<ReceivedSpan>(span => Equals(span["agentapi.caller"], "(warm-up)")), "no server span");
            Assert.That(spans, Has.None.Matches<ReceivedSpan>(span => span.Kind == SpanKind.Client && span["url.full"] is string url && url.EndsWith("/api/ask", StringComparison.Ordinal)
                && !spans.Any(server => server.ParentSpanId == span.SpanId)), "no client span of the warm-up's own requests");
            Assert.That(spans, Has.None.Matches<ReceivedSpan>(span => span.Name.StartsWith("GET healthz", StringComparison.Ordinal)), "probes are not traced");
        });
    }

    /// <summary>
    /// docs/images/trace-ask.svg is this test's drawing of a trace it received: a buffered ask whose orchestrator takes its
    /// time and whose executor's first attempt fails. <c>UPDATE_TRACE_PICTURE=1</c> redraws it; otherwise the committed
    /// picture must show the rows this trace has, so it cannot drift from what AgentApi exports.
    /// </summary>
    [Test]
    public async Task Ask_WithARetry_MatchesThePictureInTheDocs()
    {
        // A first ask compiles the path, so the picture shows an ask as a running instance answers it.
        using (await PostAsync("/api/ask", new { query = Queries.Unique("Warm up") }, NewRequestId()))
        {
        }

        _host.Gemini.Enqueue(FakeResponse.Delayed(TimeSpan.FromMilliseconds(150), FakeResponse.Default));
        _host.OpenAI.Enqueue(FakeResponse.Delayed(TimeSpan.FromMilliseconds(60), FakeOpenAIServer.ServerError()), FakeResponse.Delayed(TimeSpan.FromMilliseconds(200), FakeResponse.Default));
        var requestId = NewRequestId();

        using var response = await PostAsync("/api/ask", new { query = Queries.Unique("What is the capital of France?") }, requestId);
        var trace = await TraceOfAsync(requestId);

        var server = Server(trace);
        var picture = Path.Combine(RepositoryPaths.Root, "docs", "images", "trace-ask.svg");
        if (Environment.GetEnvironmentVariable("UPDATE_TRACE_PICTURE") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(picture)!);
            await File.WriteAllTextAsync(picture, TraceWaterfall.Svg(trace, server, "POST /api/ask: one ask, as AgentApi exports it (the executor's first attempt failed)"));
            Assert.Pass($"Redrew {picture}: review and commit it.");
        }

        var drawn = PictureRow().Matches(await File.ReadAllTextAsync(picture)).Select(match => WebUtility.HtmlDecode(match.Groups[1].Value));
        Assert.That(drawn, Is.EqualTo(TraceWaterfall.Labels(trace, server)),
            "docs/images/trace-ask.svg shows other spans than AgentApi exports: run this test with UPDATE_TRACE_PICTURE=1 and commit the picture.");
    }

    [GeneratedRegex("<text class=\"name\"[^>]*>([^<]*)</text>")]
    private static partial Regex PictureRow();

    private static string NewRequestId() => "trace-" + Guid.NewGuid().ToString("N");

    private Task<HttpResponseMessage> PostAsync(string path, object body, string requestId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Request-ID", requestId);
        return _host.Client.SendAsync(request);
    }

    /// <summary>
    /// The trace whose server span carries <paramref name="requestId"/>. The server span ends last of AgentApi's, and
    /// spans are exported in the order they end: once it has arrived, its steps and calls have too.
    /// </summary>
    private async Task<IReadOnlyList<ReceivedSpan>> TraceOfAsync(string requestId)
    {
        var server = await _receiver.SpanAsync(span => span.Kind == SpanKind.Server && Equals(span["agentapi.request_id"], requestId));
        return await _receiver.TraceAsync(server.TraceId, spans => spans.Contains(server));
    }

    private static ReceivedSpan Server(IReadOnlyList<ReceivedSpan> trace) => trace.Single(span => span.Kind == SpanKind.Server);

    private static List<ReceivedSpan> Children(IReadOnlyList<ReceivedSpan> trace, ReceivedSpan parent) =>
        [.. trace.Where(span => span.ParentSpanId == parent.SpanId).OrderBy(span => span.Start)];

    private static ReceivedSpan Child(IReadOnlyList<ReceivedSpan> trace, ReceivedSpan parent, string name)
    {
        var matches = Children(trace, parent).Where(span => span.Name == name).ToList();
        Assert.That(matches, Has.Count.EqualTo(1), $"one '{name}' under {parent}; the trace: {string.Join(", ", trace)}");
        return matches[0];
    }

    private static IEnumerable<ReceivedSpan> Descendants(IReadOnlyList<ReceivedSpan> trace, ReceivedSpan parent) =>
        Children(trace, parent).SelectMany(child => Descendants(trace, child).Prepend(child));
}
