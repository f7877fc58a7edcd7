using System.Diagnostics;
using System.Net;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>Scripted provider faults against the real app: what the caller sees, how many calls were made, how long it took.</summary>
[TestFixture]
public sealed class ResilienceTests : HostedFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["ORCHESTRATOR_TIMEOUT_SECONDS"] = "0.5";
        settings["EXECUTOR_TIMEOUT_SECONDS"] = "0.5";
        settings["REQUEST_TIMEOUT_SECONDS"] = "6";
    }

    private static object Ask(string text) => new { query = Queries.Unique(text) };

    private static FakeResponse OpenAIError(int status, string message, string type, string? code, params (string, string)[] headers) =>
        FakeResponse.Json(status, FakeOpenAIServer.ErrorBody(message, type, code), headers);

    private async Task<(HttpResponseMessage Response, System.Text.Json.JsonElement Body, TimeSpan Elapsed)> AskAsync(object body)
    {
        var watch = Stopwatch.StartNew();
        var response = await Host.AskAsync(body);
        var json = await AgentApiHost.JsonAsync(response);
        return (response, json, watch.Elapsed);
    }

    [Test]
    public async Task Ask_Executor429WithRetryAfterOneSecond_WaitsThenAnswers()
    {
        Host.OpenAI.Enqueue(OpenAIError(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", ("Retry-After", "1")));

        var (response, _, elapsed) = await AskAsync(Ask("Retry after"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(2));
            Assert.That(elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95)), "Retry-After: 1 is honoured");
        });
    }

    [Test]
    public async Task Ask_Executor429AskingForMoreThanTheBudget_Answers503AtOnceWithRetryAfter()
    {
        Host.OpenAI.Enqueue(OpenAIError(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", ("Retry-After", "30")));

        var (response, body, elapsed) = await AskAsync(Ask("Long wait"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-rate-limited"));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(body.GetProperty("retryAfterSeconds").GetInt32(), Is.EqualTo(30));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1), "no retry when the wait cannot fit the deadline");
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
        });
    }

    [Test]
    public async Task Ask_ExecutorOutOfQuota_Answers503WithoutRetry()
    {
        Host.OpenAI.Enqueue(OpenAIError(429, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota"));

        var (response, body, _) = await AskAsync(Ask("Quota"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-quota-exhausted"));
            Assert.That(body.GetProperty("detail").GetString(), Does.Contain("quota"));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [TestCase(403, "invalid_request_error", "unsupported_country_region_territory")]
    [TestCase(404, "invalid_request_error", "model_not_found")]
    public async Task Ask_ExecutorRejectsRequest_Answers502WithoutRetry(int status, string type, string? code)
    {
        Host.OpenAI.Enqueue(OpenAIError(status, "The provider said no.", type, code));

        var (response, body, _) = await AskAsync(Ask("Rejected"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-rejected"));
            Assert.That(body.GetProperty("detail").GetString(), Does.Not.Contain("The provider said no."), "provider text stays in the logs");
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Ask_ExecutorFindsTheRequestInvalid_Answers400WithItsReasonWithoutRetry()
    {
        Host.OpenAI.Enqueue(OpenAIError(400, "Invalid 'max_tokens': integer above maximum value.\r\nForged: line", "invalid_request_error", "integer_above_max_value"));

        var (response, body, _) = await AskAsync(Ask("Invalid"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-invalid-request"));
            Assert.That(body.GetProperty("detail").GetString(), Does.Contain("Invalid 'max_tokens': integer above maximum value.").And.Not.Contain("\n"),
                "the caller learns what to change, on one line");
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Ask_ExecutorNeverAnswers_Answers504AfterEveryAttemptTimesOut()
    {
        Host.OpenAI.Enqueue(FakeResponse.Hang(), FakeResponse.Hang(), FakeResponse.Hang());

        var (response, body, elapsed) = await AskAsync(Ask("Hang"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-timeout"));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(3));
            Assert.That(elapsed, Is.InRange(TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(5)), "3 attempts × 0.5 s plus short backoff");
        });
    }

    [Test]
    public async Task Ask_ExecutorConnectionReset_RetriesAndAnswers()
    {
        Host.OpenAI.Enqueue(FakeResponse.Reset());

        var (response, _, _) = await AskAsync(Ask("Reset"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Ask_OrchestratorNeverAnswers_FallsBackWithinBounds()
    {
        Host.Gemini.Enqueue(FakeResponse.Hang(), FakeResponse.Hang(), FakeResponse.Hang());

        var (response, body, elapsed) = await AskAsync(Ask("Slow orchestrator"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("fallbackReason").GetString(), Does.Contain("in time"));
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(3));
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    public async Task Ask_Orchestrator429WithRetryInfo_WaitsForRetryDelayThenPlans()
    {
        Host.Gemini.Enqueue(FakeResponse.Json(429, FakeGeminiServer.ErrorBody(429, "RESOURCE_EXHAUSTED", "Quota exceeded for metric: requests per minute.", retryDelay: "1s")));

        var (response, body, elapsed) = await AskAsync(Ask("RetryInfo"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.False);
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(2));
            Assert.That(elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95)));
        });
    }

    [Test]
    public async Task Ask_OrchestratorDailyQuotaExhausted_FallsBackWithoutRetry()
    {
        const string perDay = """{"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]}]}}""";
        Host.Gemini.Enqueue(FakeResponse.Json(429, perDay));

        var (response, body, _) = await AskAsync(Ask("Daily quota"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("fallbackReason").GetString(), Does.Contain("quota"));
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Ask_OrchestratorRejectsRequest_FallsBackWithoutRetry()
    {
        Host.Gemini.Enqueue(FakeResponse.Json(400, FakeGeminiServer.ErrorBody(400, "INVALID_ARGUMENT", "Developer instruction is not enabled for models/gemma-3-1b-it")));

        var (_, body, _) = await AskAsync(Ask("Orchestrator 400"));

        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.True);
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(1));
        });
    }

    // Bad answers from the executor: each has a defined outcome.
    [TestCase("{\"id\": \"chatcmpl-1\", \"choices\": [", "application/json", "urn:agentapi:problem:provider-invalid-response", TestName = "Ask_ExecutorTruncatedJson_Answers502InvalidResponse")]
    [TestCase("this is not json", "application/json", "urn:agentapi:problem:provider-invalid-response", TestName = "Ask_ExecutorMalformedJson_Answers502InvalidResponse")]
    [TestCase("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", "urn:agentapi:problem:provider-invalid-response", TestName = "Ask_ExecutorHtmlWithStatus200_Answers502InvalidResponse")]
    public async Task Ask_ExecutorUnreadableBody_Answers502(string body, string contentType, string type)
    {
        Host.OpenAI.Enqueue(FakeResponse.Raw(200, contentType, body));

        var (response, problem, _) = await AskAsync(Ask("Bad body"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo(type));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1), "an unreadable 200 is not retried: it may have cost tokens");
        });
    }

    [Test]
    public async Task Ask_ExecutorEmptyChoices_Answers502InvalidResponse()
    {
        Host.OpenAI.Enqueue(FakeResponse.Json(200, FakeOpenAIServer.EmptyChoicesBody()));

        var (response, problem, _) = await AskAsync(Ask("Empty choices"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-invalid-response"));
        });
    }

    [Test]
    public async Task Ask_ExecutorContentFilter_Answers502ContentFiltered()
    {
        Host.OpenAI.Enqueue(FakeResponse.Json(200, FakeOpenAIServer.SuccessBody("", finishReason: "content_filter")));

        var (response, problem, _) = await AskAsync(Ask("Filtered"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:content-filtered"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("Rephrase"));
        });
    }

    [Test]
    public async Task Ask_ExecutorHitsLengthLimit_AnswersPartialMarkedTruncatedAndNotCached()
    {
        var ask = Ask("Long essay");
        Host.OpenAI.Enqueue(FakeResponse.Json(200, FakeOpenAIServer.SuccessBody("The first half of", finishReason: "length")));

        var (response, body, _) = await AskAsync(ask);
        var (_, again, _) = await AskAsync(ask);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("truncated").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("answer").GetString(), Is.EqualTo("The first half of"));
            Assert.That(again.GetProperty("cached").GetBoolean(), Is.False, "truncated answers are not cached");
        });
    }

    // Bad answers from the orchestrator: each falls back, the user still gets an answer.
    [TestCase(200, "text/html", "<html>Service temporarily unavailable</html>", TestName = "Ask_OrchestratorHtmlWithStatus200_FallsBack")]
    [TestCase(200, "application/json", "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"cut", TestName = "Ask_OrchestratorTruncatedJson_FallsBack")]
    [TestCase(200, "application/json", "{\"candidates\": []}", TestName = "Ask_OrchestratorEmptyCandidates_FallsBack")]
    public async Task Ask_OrchestratorUnreadableAnswer_FallsBack(int status, string contentType, string body)
    {
        Host.Gemini.Enqueue(FakeResponse.Raw(status, contentType, body));

        var (response, json, _) = await AskAsync(Ask("Orchestrator junk"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(json.GetProperty("fallback").GetBoolean(), Is.True);
            Assert.That(json.GetProperty("fallbackReason").GetString(), Does.Contain("could not be read"));
        });
    }

    [Test]
    public async Task Ask_OrchestratorPromptBlocked_FallsBack()
    {
        Host.Gemini.Enqueue(FakeResponse.Json(200, FakeGeminiServer.PromptBlockedBody()));

        var (_, json, _) = await AskAsync(Ask("Blocked prompt"));

        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("fallback").GetBoolean(), Is.True);
            Assert.That(json.GetProperty("fallbackReason").GetString(), Does.Contain("not a usable plan"));
        });
    }

    [Test]
    public async Task Ask_OrchestratorFinishReasonSafety_FallsBack()
    {
        Host.Gemini.Enqueue(FakeResponse.Json(200, FakeGeminiServer.SuccessBody("", finishReason: "SAFETY")));

        var (_, json, _) = await AskAsync(Ask("Safety"));

        Assert.That(json.GetProperty("fallback").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Ask_CallerDisconnects_CancelsTheProviderCallWithoutRetry()
    {
        Host.OpenAI.Enqueue(FakeResponse.Hang());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Assert.CatchAsync<OperationCanceledException>(() => Host.AskAsync(Ask("Never mind"), cancellationToken: cancel.Token));

        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (Host.OpenAI.AbortedCount == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await Task.Delay(300);
        Assert.Multiple(() =>
        {
            Assert.That(Host.OpenAI.AbortedCount, Is.EqualTo(1), "the in-flight executor call was cancelled");
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1), "and not retried");
        });
    }

    [TestCase("application/json", "{\"id\":\"chatcmpl-1\",\"choices\":[")]
    [TestCase("text/event-stream", "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n")]
    public async Task Ask_ExecutorStallsAfterItsFirstByte_TimesOutAfterOneAttemptTimeoutWithoutRetry(string contentType, string start)
    {
        // An attempt is timed to its first byte (docs/decisions/0004); a pause after it may last one attempt timeout.
        Host.OpenAI.Enqueue(FakeResponse.Stall(200, contentType, start));

        var (response, body, elapsed) = await AskAsync(Ask("Stalled body"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-timeout"));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1), "the answer had begun: the attempt is over, and a retry would be a second answer");
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "one attempt timeout, not the request's deadline");
        });
    }

    [Test]
    public async Task Ask_ExecutorErrorBodyLargerThan64KiB_IsReadAsTheCallersInvalidRequestNotANetworkFailure()
    {
        var huge = FakeOpenAIServer.ErrorBody("Invalid request: " + new string('x', 200_000), "invalid_request_error", null);
        Host.OpenAI.Enqueue(FakeResponse.Json(400, huge));

        var (response, body, _) = await AskAsync(Ask("Huge error"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-invalid-request"));
            Assert.That(body.GetProperty("detail").GetString()!.Length, Is.LessThan(1000), "the provider's reason, cut");
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1), "a 400 is never retried, however large its body");
        });
    }

    [Test]
    public async Task Ask_Executor429WithAbsurdRetryHeader_Answers503NotA500()
    {
        Host.OpenAI.Enqueue(OpenAIError(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", ("retry-after-ms", "1e300")));

        var (response, body, elapsed) = await AskAsync(Ask("Absurd header"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-rate-limited"));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1));
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
        });
    }

    [Test]
    public async Task Ask_Orchestrator429WithAbsurdRetryDelay_FallsBack()
    {
        Host.Gemini.Enqueue(FakeResponse.Json(429, FakeGeminiServer.ErrorBody(429, "RESOURCE_EXHAUSTED", "Please retry in 99999999999999999999s.", retryDelay: "99999999999999999999s")));

        var (response, body, _) = await AskAsync(Ask("Absurd delay"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.True);
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Ask_ExecutorStaysOverloaded_Answers503UnavailableWithRetryAfter()
    {
        var overloaded = OpenAIError(503, "The engine is currently overloaded, please try again later", "server_error", null, ("Retry-After", "2"));
        Host.OpenAI.Enqueue(FakeResponse.Json(503, FakeOpenAIServer.ErrorBody("Slow Down", "server_error", null)), FakeResponse.Json(503, FakeOpenAIServer.ErrorBody("Slow Down", "server_error", null)), overloaded);

        var (response, body, _) = await AskAsync(Ask("Overloaded"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-unavailable"));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(3));
        });
    }
}
