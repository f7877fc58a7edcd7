using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentApi.Tests.Clients;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>
/// <c>POST /api/ask/stream</c> against the fakes, read through docs/streaming.md's reader (<see cref="AskStreamReader"/>).
/// The failure tests reproduce the ways popular gateways get streaming wrong (issue 13): a cut stream that ends as a
/// clean 200 (Portkey #1797, LiteLLM PR #39748), a dropped in-band error (LiteLLM #40578), lost usage (LiteLLM #11915).
/// </summary>
[TestFixture]
public sealed class AskStreamTests : HostedFixture
{
    private static readonly TimeSpan ChunkDelay = TimeSpan.FromMilliseconds(200);

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["EXECUTOR_TIMEOUT_SECONDS"] = "1";
        settings["REQUEST_TIMEOUT_SECONDS"] = "8";
        settings["STREAM_HEARTBEAT_SECONDS"] = "0.1";
    }

    [Test]
    public async Task Stream_ProvidersHealthy_SendsPlanThenDeltasThenDone()
    {
        var query = Queries.Unique("Stream the capital of France");

        var events = await StreamAsync(new { query });

        var done = events[^1].Data;
        Assert.Multiple(() =>
        {
            Assert.That(Names(events), Is.EqualTo(["plan", .. Enumerable.Repeat("delta", events.Count - 2), "done"]));
            Assert.That(events.Count(e => e.Event == "delta"), Is.GreaterThan(1), "one delta per chunk, not one at the end");
            Assert.That(events[0].Data.GetProperty("route").GetString(), Is.EqualTo("general"));
            Assert.That(events[0].Data.GetProperty("refinedPrompt").GetString(), Is.EqualTo("Focused: " + query));
            Assert.That(events[0].Data.GetProperty("cached").GetBoolean(), Is.False);
            Assert.That(Joined(events), Does.StartWith("echo: Focused: " + query));
            Assert.That(done.GetProperty("cached").GetBoolean(), Is.False);
            Assert.That(done.GetProperty("truncated").GetBoolean(), Is.False);
            Assert.That(done.GetProperty("finishReason").GetString(), Is.EqualTo("stop"));
            Assert.That(done.GetProperty("requestId").GetString(), Is.EqualTo(events[0].Data.GetProperty("requestId").GetString()));
            Assert.That(done.GetProperty("executor").GetProperty("model").GetString(), Is.EqualTo("gpt-4o-mini-2024-07-18"));
            Assert.That(done.GetProperty("durationMs").GetDouble(), Is.GreaterThan(0));
        });
    }

    // LiteLLM #11915: usage lost or estimated on streamed calls.
    [Test]
    public async Task Stream_ProvidersHealthy_UsageComesFromTheFinalUsageChunk()
    {
        var events = await StreamAsync(new { query = Queries.Unique("Count my tokens") });

        var done = events[^1].Data;
        var executor = done.GetProperty("executor");
        var answerWords = Joined(events).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var sent = JsonNode.Parse(Host.OpenAI.Requests.Single().Body)!;
        Assert.Multiple(() =>
        {
            Assert.That((bool?)sent["stream"], Is.True);
            Assert.That((bool?)sent["stream_options"]!["include_usage"], Is.True);
            Assert.That(executor.GetProperty("inputTokens").GetInt32(), Is.GreaterThan(0));
            Assert.That(executor.GetProperty("outputTokens").GetInt32(), Is.EqualTo(answerWords), "the fake counts words as tokens");
            Assert.That(done.GetProperty("usage").GetProperty("totalTokens").GetInt32(),
                Is.EqualTo(executor.GetProperty("inputTokens").GetInt32() + executor.GetProperty("outputTokens").GetInt32()
                    + done.GetProperty("orchestrator").GetProperty("inputTokens").GetInt32() + done.GetProperty("orchestrator").GetProperty("outputTokens").GetInt32()));
        });
    }

    [Test]
    public async Task Stream_SameQuestionAsBufferedAsk_DeltasJoinedEqualTheBufferedAnswer()
    {
        var query = Queries.Unique("Same answer either way");
        using var buffered = await Host.AskAsync(new { query, cache = false });
        var answer = (await AgentApiHost.JsonAsync(buffered)).GetProperty("answer").GetString();

        var events = await StreamAsync(new { query, cache = false });

        Assert.Multiple(() =>
        {
            Assert.That(Joined(events), Is.EqualTo(answer));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(2), "cache: false asks afresh");
        });
    }

    [Test]
    public async Task Stream_Response_IsAnUnbufferedEventStreamWithRequestId()
    {
        using var request = StreamRequest(new { query = Queries.Unique("Headers") });
        request.Headers.Add("X-Request-ID", "stream-headers-1");

        using var response = await Host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
            Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
            Assert.That(response.Headers.GetValues("X-Accel-Buffering").Single(), Is.EqualTo("no"));
            Assert.That(response.Headers.GetValues("X-Request-ID").Single(), Is.EqualTo("stream-headers-1"));
            Assert.That(body, Does.StartWith("event: plan\ndata: {"));
            Assert.That(body, Does.Contain("\"requestId\":\"stream-headers-1\""));
            Assert.That(body, Does.EndWith("\n\n"));
        });
    }

    [Test]
    public async Task Stream_SlowExecutor_SendsHeartbeatCommentsBetweenEvents()
    {
        Host.OpenAI.Enqueue(FakeResponse.Streamed(new FakeStreaming { ChunkDelay = TimeSpan.FromMilliseconds(300) }));
        using var request = StreamRequest(new { query = Queries.Unique("Heartbeat") });

        using var response = await Host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(body, Does.Contain("\n: keep-alive\n\n"));
    }

    [Test]
    public async Task Stream_ExecutorSlowBetweenChunks_FirstDeltaArrivesWhileTheFakeStillSends()
    {
        Host.OpenAI.Reply = _ => "one two three four five six";
        Host.OpenAI.Enqueue(FakeResponse.Streamed(new FakeStreaming { ChunkDelay = ChunkDelay }));
        var watch = Stopwatch.StartNew();
        TimeSpan? firstDelta = null;
        var streamsCompletedAtFirstDelta = -1;

        var events = new List<(string Event, JsonElement Data)>();
        await foreach (var item in AskStreamReader.ReadAskStreamAsync(Host.Client, new { query = Queries.Unique("Slow writer") }))
        {
            if (item.Event == "delta" && firstDelta is null)
            {
                firstDelta = watch.Elapsed;
                streamsCompletedAtFirstDelta = Host.OpenAI.CompletedStreams;
            }

            events.Add(item);
        }

        var total = watch.Elapsed;
        await TestContext.Out.WriteLineAsync($"First delta after {firstDelta!.Value.TotalMilliseconds:0} ms, done after {total.TotalMilliseconds:0} ms ({ChunkDelay.TotalMilliseconds:0} ms between chunks).");
        Assert.Multiple(() =>
        {
            Assert.That(streamsCompletedAtFirstDelta, Is.Zero, "the fake was still writing when the caller got the first delta");
            Assert.That(total - firstDelta!.Value, Is.GreaterThan(ChunkDelay * 4), "the rest arrived chunk by chunk after it");
            Assert.That(Joined(events), Is.EqualTo("one two three four five six"));
            Assert.That(events[^1].Event, Is.EqualTo("done"));
        });
    }

    // Bifrost #5395 skipped the fallback once a stream had begun; here everything before the first text gets the full
    // retry path of /api/ask, and what comes after it is an error event (the next test and the mid-stream ones).
    [Test]
    public async Task Stream_Executor503ThenOk_RetriesBeforeTheFirstByteTransparently()
    {
        Host.OpenAI.Enqueue(FakeResponse.Json(503, FakeOpenAIServer.ErrorBody("The engine is currently overloaded, please try again later", "server_error", null)));

        var events = await StreamAsync(new { query = Queries.Unique("Busy then fine") });

        Assert.Multiple(() =>
        {
            Assert.That(events[0].Event, Is.EqualTo("plan"));
            Assert.That(events[^1].Event, Is.EqualTo("done"));
            Assert.That(events[^1].Data.GetProperty("executor").GetProperty("attempts").GetInt32(), Is.EqualTo(2));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Stream_ExecutorFailsBeforeTheFirstChunk_AnswersTheProblemJsonOfAsk()
    {
        var serverError = FakeOpenAIServer.ServerError();
        Host.OpenAI.Enqueue(serverError, serverError, serverError);
        using var request = StreamRequest(new { query = Queries.Unique("Never starts") });
        request.Headers.Add("X-Request-ID", "stream-problem-1");

        using var response = await Host.Client.SendAsync(request);
        var problem = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-error"));
            Assert.That(problem.GetProperty("requestId").GetString(), Is.EqualTo("stream-problem-1"));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(3), "retried like /api/ask");
        });
    }

    [Test]
    public async Task Stream_BlankQuery_AnswersValidationProblemWithoutCallingProviders()
    {
        using var response = await Host.Client.SendAsync(StreamRequest(new { query = " " }));
        var problem = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:validation"));
            Assert.That(Host.Gemini.CallCount + Host.OpenAI.CallCount, Is.Zero);
        });
    }

    // LiteLLM #40578: an error event inside the stream was dropped and the stream looked complete.
    [Test]
    public async Task Stream_InBandErrorAfterFirstChunks_EndsWithErrorEventAndCachesNothing()
    {
        await AssertFailsMidStreamAsync(new FakeStreaming { ErrorAfter = 3 }, "urn:agentapi:problem:provider-error");
    }

    // Portkey #1797, LiteLLM PR #39748: a stream cut mid-answer ended as a clean 200 that looked complete.
    [Test]
    public async Task Stream_ConnectionCutMidStream_EndsWithErrorEventAndCachesNothing()
    {
        // The delay lets the gateway read the first chunks before the reset, which would otherwise discard them unread.
        await AssertFailsMidStreamAsync(new FakeStreaming { CutAfter = 3, ChunkDelay = TimeSpan.FromMilliseconds(100) }, "urn:agentapi:problem:provider-error");
    }

    [Test]
    public async Task Stream_EndsWithoutDone_EndsWithErrorEventAndCachesNothing()
    {
        await AssertFailsMidStreamAsync(new FakeStreaming { OmitDone = true }, "urn:agentapi:problem:provider-error", expectedDeltas: null);
    }

    [Test]
    public async Task Stream_MalformedChunkMidStream_EndsWithErrorEventAndCachesNothing()
    {
        await AssertFailsMidStreamAsync(new FakeStreaming { MalformedAfter = 3 }, "urn:agentapi:problem:provider-invalid-response");
    }

    [Test]
    public async Task Stream_ExecutorStallsMidStream_TimesOutAfterTheAttemptTimeoutWithErrorEvent()
    {
        var watch = Stopwatch.StartNew();

        await AssertFailsMidStreamAsync(new FakeStreaming { StallAfter = 3 }, "urn:agentapi:problem:provider-timeout");

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4)), "the 1 s stall timeout, not the 8 s request deadline");
    }

    [Test]
    public async Task Stream_OllamaStyleChunksWithoutUsageNulls_ReadsTheUsageChunk()
    {
        // Ollama omits "usage" on every chunk but the last (compat.md); it must still be read, not lost.
        Host.OpenAI.Enqueue(FakeResponse.EventStream(
        [
            """{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1,"model":"gemma3:4b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}""",
            """{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1,"model":"gemma3:4b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"lo"},"finish_reason":null}]}""",
            """{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1,"model":"gemma3:4b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}""",
            """{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1,"model":"gemma3:4b","system_fingerprint":"fp_ollama","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}""",
            "[DONE]",
        ], FakeStreaming.Normal));

        var events = await StreamAsync(new { query = Queries.Unique("Ollama") });

        var executor = events[^1].Data.GetProperty("executor");
        Assert.Multiple(() =>
        {
            Assert.That(Joined(events), Is.EqualTo("Hello"));
            Assert.That(executor.GetProperty("model").GetString(), Is.EqualTo("gemma3:4b"));
            Assert.That(executor.GetProperty("inputTokens").GetInt32(), Is.EqualTo(12));
            Assert.That(executor.GetProperty("outputTokens").GetInt32(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Stream_VllmInBandErrorWithIntegerCode_EndsWithErrorEventNotAParseFailure()
    {
        // vLLM's error code is an integer (compat.md): the error must be recognised as the provider's, not as bad JSON.
        Host.OpenAI.Enqueue(FakeResponse.EventStream(
        [
            """{"id":"cmpl-1","object":"chat.completion.chunk","created":1,"model":"google/gemma-3-1b-it","choices":[{"index":0,"delta":{"content":"Par"},"finish_reason":null}]}""",
            """{"error":{"message":"The engine died","type":"InternalServerError","param":null,"code":500}}""",
        ], FakeStreaming.Normal));

        var events = await StreamAsync(new { query = Queries.Unique("vLLM") });

        Assert.Multiple(() =>
        {
            Assert.That(Names(events), Is.EqualTo(["plan", "delta", "error"]));
            Assert.That(events[^1].Data.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-error"));
        });
    }

    [Test]
    public async Task Stream_ServerIgnoresStreamTrue_AnswersTheWholeCompletionAsOneDelta()
    {
        Host.OpenAI.Enqueue(FakeResponse.Json(200, FakeOpenAIServer.SuccessBody("A whole answer at once.")));

        var events = await StreamAsync(new { query = Queries.Unique("No streaming here") });

        Assert.Multiple(() =>
        {
            Assert.That(Names(events), Is.EqualTo(["plan", "delta", "done"]));
            Assert.That(Joined(events), Is.EqualTo("A whole answer at once."));
            Assert.That(events[^1].Data.GetProperty("executor").GetProperty("outputTokens").GetInt32(), Is.EqualTo(10));
        });
    }

    [Test]
    public async Task Stream_CallerDisconnectsMidStream_CancelsTheUpstreamStreamAtOnce()
    {
        Host.OpenAI.Enqueue(FakeResponse.Streamed(new FakeStreaming { ChunkDelay = ChunkDelay }));
        using var leave = new CancellationTokenSource();

        Assert.CatchAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in AskStreamReader.ReadAskStreamAsync(Host.Client, new { query = Queries.Unique("Hang up") }, leave.Token))
            {
                if (item.Event == "delta")
                {
                    // While the next read is pending: cancelling it aborts the connection (disposing the response
                    // instead would let HttpClient drain it for up to 2 s before closing).
                    leave.CancelAfter(50);
                }
            }
        });
        var left = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => Host.OpenAI.AbortedCount > 0, TimeSpan.FromSeconds(3));
        await TestContext.Out.WriteLineAsync($"The fake saw the abort {left.Elapsed.TotalMilliseconds:0} ms after the caller left.");

        Assert.Multiple(() =>
        {
            Assert.That(Host.OpenAI.AbortedCount, Is.EqualTo(1), "the fake saw the upstream stream aborted");
            Assert.That(left.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1.5)), "at once, not at the end of the answer (about 3 s away)");
            Assert.That(Host.OpenAI.CompletedStreams, Is.Zero);
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1), "and not retried");
        });
    }

    [Test]
    public async Task Stream_CacheHit_ReplaysPlanDeltaDoneMarkedCached()
    {
        var query = Queries.Unique("Ask me twice");
        var first = await StreamAsync(new { query });

        var second = await StreamAsync(new { query });

        Assert.Multiple(() =>
        {
            Assert.That(Names(second), Is.EqualTo(["plan", "delta", "done"]));
            Assert.That(second[0].Data.GetProperty("cached").GetBoolean(), Is.True);
            Assert.That(second[0].Data.GetProperty("route").GetString(), Is.EqualTo(first[0].Data.GetProperty("route").GetString()));
            Assert.That(Joined(second), Is.EqualTo(Joined(first)));
            Assert.That(second[^1].Data.GetProperty("cached").GetBoolean(), Is.True);
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Stream_BufferedAskOfTheSameQuestion_IsAnsweredFromTheStreamedAnswer()
    {
        var query = Queries.Unique("Cached by a stream");
        var streamed = await StreamAsync(new { query });

        using var buffered = await Host.AskAsync(new { query });
        var body = await AgentApiHost.JsonAsync(buffered);

        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("cached").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("answer").GetString(), Is.EqualTo(Joined(streamed)));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Stream_NoCacheHeader_SkipsTheCacheRead()
    {
        var query = Queries.Unique("Fresh please");
        await StreamAsync(new { query });
        using var request = StreamRequest(new { query });
        request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };

        using var response = await Host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(body, Does.Contain("\"cached\":false"));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Stream_IdenticalBufferedAskArrivesMidStream_SharesTheOneExecutorCall()
    {
        Host.OpenAI.Enqueue(FakeResponse.Streamed(new FakeStreaming { ChunkDelay = ChunkDelay }));
        var query = Queries.Unique("Share the stream");
        Task<HttpResponseMessage>? buffered = null;
        var events = new List<(string Event, JsonElement Data)>();

        await foreach (var item in AskStreamReader.ReadAskStreamAsync(Host.Client, new { query }))
        {
            buffered ??= item.Event == "delta" ? Host.AskAsync(new { query }) : null;
            events.Add(item);
        }

        using var response = await buffered!;
        var body = await AgentApiHost.JsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("cached").GetBoolean(), Is.True, "joined the stream's call");
            Assert.That(body.GetProperty("answer").GetString(), Is.EqualTo(Joined(events)));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Stream_IdenticalBufferedAskAlreadyInFlight_JoinsItAndReplaysTheAnswer()
    {
        Host.OpenAI.Enqueue(FakeResponse.Delayed(TimeSpan.FromMilliseconds(500), FakeResponse.Default));
        var query = Queries.Unique("Join the buffered ask");
        var buffered = Host.AskAsync(new { query });
        await Eventually.TrueAsync(() => Host.OpenAI.CallCount == 1);

        var events = await StreamAsync(new { query });
        using var response = await buffered;
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(Names(events), Is.EqualTo(["plan", "delta", "done"]));
            Assert.That(events[^1].Data.GetProperty("cached").GetBoolean(), Is.True);
            Assert.That(Joined(events), Is.EqualTo(body.GetProperty("answer").GetString()));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Stream_Answered_CountsTokensAndCostLikeABufferedCall()
    {
        var before = await PrometheusScrape.ScrapeAsync(Host.Client);

        var events = await StreamAsync(new { query = Queries.Unique("Meter me") });

        var after = await PrometheusScrape.ScrapeAsync(Host.Client);
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        var executor = events[^1].Data.GetProperty("executor");
        Assert.Multiple(() =>
        {
            Assert.That(Delta("agentapi_tokens_total", ("role", "executor"), ("type", "input")), Is.EqualTo(executor.GetProperty("inputTokens").GetInt32()));
            Assert.That(Delta("agentapi_tokens_total", ("role", "executor"), ("type", "output")), Is.EqualTo(executor.GetProperty("outputTokens").GetInt32()));
            Assert.That(Delta("agentapi_cost_usd_total", ("role", "executor")), Is.GreaterThan(0));
            Assert.That(Delta("agentapi_provider_duration_seconds_count", ("role", "executor"), ("outcome", "success")), Is.EqualTo(1));
            Assert.That(Delta("agentapi_request_duration_seconds_count", ("route", "/api/ask/stream"), ("status", "200")), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Stream_Answered_WritesTheAskSummaryLineWithTokens()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["LOG_LEVEL"] = "Information");
        var events = new List<(string Event, JsonElement Data)>();
        await foreach (var item in AskStreamReader.ReadAskStreamAsync(host.Client, new { query = "Log my stream" }))
        {
            events.Add(item);
        }

        var requestId = events[0].Data.GetProperty("requestId").GetString()!;
        var usage = events[^1].Data.GetProperty("usage");
        var expected = $"POST /api/ask/stream answered 200 in ";
        string[] lines = [];
        await Eventually.TrueAsync(() =>
        {
            NLog.LogManager.Flush();
            lines = File.ReadAllLines(Path.Combine(host.LogDirectory, "agentapi.log"));
            return lines.Any(l => l.Contains(expected, StringComparison.Ordinal));
        });

        Assert.That(lines.Where(l => l.Contains($"[{requestId}]", StringComparison.Ordinal)), Has.Some.Contain(expected)
            .And.Contain("route general, cache miss, fallback False")
            .And.Contain("executor openai/gpt-4o-mini")
            .And.Contain($"charged {usage.GetProperty("totalTokens").GetInt32()} tokens (as the providers reported)"));
    }

    // expectedDeltas: deltas before the failure; the fakes' faults at the fourth event leave two, null means all of them.
    private async Task AssertFailsMidStreamAsync(FakeStreaming faulty, string problemType, int? expectedDeltas = 2)
    {
        var query = Queries.Unique("Break off");
        Host.OpenAI.Enqueue(FakeResponse.Streamed(faulty));

        var events = await StreamAsync(new { query });
        var again = await StreamAsync(new { query });

        var error = events[^1].Data;
        Assert.Multiple(() =>
        {
            Assert.That(Names(events), Is.EqualTo(["plan", .. Enumerable.Repeat("delta", expectedDeltas ?? events.Count - 2), "error"]), "an error event, never a done");
            Assert.That(error.GetProperty("type").GetString(), Is.EqualTo(problemType));
            Assert.That(error.GetProperty("detail").GetString(), Is.Not.Empty);
            Assert.That(error.GetProperty("role").GetString(), Is.EqualTo("executor"));
            Assert.That(error.GetProperty("requestId").GetString(), Is.EqualTo(events[0].Data.GetProperty("requestId").GetString()));
            Assert.That(again[^1].Event, Is.EqualTo("done"));
            Assert.That(again[^1].Data.GetProperty("cached").GetBoolean(), Is.False, "the broken stream was not cached");
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(2));
        });
    }

    private async Task<List<(string Event, JsonElement Data)>> StreamAsync(object body)
    {
        var events = new List<(string Event, JsonElement Data)>();
        await foreach (var item in AskStreamReader.ReadAskStreamAsync(Host.Client, body))
        {
            events.Add(item);
        }

        return events;
    }

    private static HttpRequestMessage StreamRequest(object body) =>
        new(HttpMethod.Post, "api/ask/stream") { Content = JsonContent.Create(body) };

    private static string[] Names(List<(string Event, JsonElement Data)> events) => [.. events.Select(e => e.Event)];

    private static string Joined(List<(string Event, JsonElement Data)> events) =>
        string.Concat(events.Where(e => e.Event == "delta").Select(e => e.Data.GetProperty("text").GetString()));
}
