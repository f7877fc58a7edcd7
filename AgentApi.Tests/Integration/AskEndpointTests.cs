using System.Net;
using System.Text.Json;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

[TestFixture]
public sealed class AskEndpointTests : HostedFixture
{
    [Test]
    public async Task Ask_BothProvidersHealthy_AnswersThroughOrchestratorAndExecutor()
    {
        var query = Queries.Unique("What is the capital of France?");

        using var response = await Host.AskAsync(new { query });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await AgentApiHost.JsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("answer").GetString(), Does.StartWith("echo: Focused: " + query));
            Assert.That(body.GetProperty("route").GetString(), Is.EqualTo("general"));
            Assert.That(body.GetProperty("refinedPrompt").GetString(), Is.EqualTo("Focused: " + query));
            Assert.That(body.GetProperty("cached").GetBoolean(), Is.False);
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.False);
            Assert.That(body.GetProperty("truncated").GetBoolean(), Is.False);
            Assert.That(body.GetProperty("orchestrator").GetProperty("model").GetString(), Is.EqualTo("gemma-3-1b-it"));
            Assert.That(body.GetProperty("orchestrator").GetProperty("provider").GetString(), Is.EqualTo("gemini"));
            Assert.That(body.GetProperty("executor").GetProperty("model").GetString(), Does.StartWith("gpt-4o-mini"));
            Assert.That(body.GetProperty("orchestrator").GetProperty("inputTokens").GetInt32(), Is.GreaterThan(0));
            Assert.That(body.GetProperty("executor").GetProperty("outputTokens").GetInt32(), Is.GreaterThan(0));
            Assert.That(body.GetProperty("usage").GetProperty("totalTokens").GetInt32(), Is.EqualTo(
                body.GetProperty("orchestrator").GetProperty("inputTokens").GetInt32() + body.GetProperty("orchestrator").GetProperty("outputTokens").GetInt32()
                + body.GetProperty("executor").GetProperty("inputTokens").GetInt32() + body.GetProperty("executor").GetProperty("outputTokens").GetInt32()));
            Assert.That(body.GetProperty("durationMs").GetDouble(), Is.GreaterThan(0));
            Assert.That(body.GetProperty("requestId").GetString(), Is.EqualTo(response.Headers.GetValues("X-Request-ID").Single()));
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(1));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Ask_CacheHit_UsageSaysThisRequestSpentNothingAndOriginalUsageKeepsTheFigures()
    {
        var query = Queries.Unique("What does a cache hit cost?");
        using var first = await Host.AskAsync(new { query });
        using var second = await Host.AskAsync(new { query });
        var produced = await AgentApiHost.JsonAsync(first);
        var hit = await AgentApiHost.JsonAsync(second);

        Assert.Multiple(() =>
        {
            Assert.That(hit.GetProperty("cached").GetBoolean(), Is.True);
            Assert.That(hit.GetProperty("usage").GetProperty("totalTokens").GetInt32(), Is.Zero, "adding up usage over requests gives what they cost");
            Assert.That(hit.GetProperty("originalUsage").ToString(), Is.EqualTo(produced.GetProperty("usage").ToString()));
            Assert.That(produced.GetProperty("originalUsage").ToString(), Is.EqualTo(produced.GetProperty("usage").ToString()));
            Assert.That(hit.GetProperty("executor").GetProperty("outputTokens").GetInt32(), Is.GreaterThan(0), "the steps still say how the answer was made");
        });
    }

    [Test]
    public async Task Ask_GemmaOrchestrator_SendsKeyInHeaderAndNoSystemInstruction()
    {
        using var response = await Host.AskAsync(new { query = Queries.Unique("Explain recursion"), context = "for a new programmer" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var sent = Host.Gemini.Requests.Single(r => r.Method == "POST");
        using var json = JsonDocument.Parse(sent.Body);
        Assert.Multiple(() =>
        {
            Assert.That(sent.Path, Is.EqualTo("/v1beta/models/gemma-3-1b-it:generateContent"));
            Assert.That(sent.Headers["x-goog-api-key"], Is.EqualTo(FakeGeminiServer.DefaultApiKey));
            Assert.That(sent.QueryString, Does.Not.Contain("key="), "the key must never travel in the URL");
            Assert.That(json.RootElement.TryGetProperty("systemInstruction", out _), Is.False);
            Assert.That(json.RootElement.GetProperty("generationConfig").TryGetProperty("responseMimeType", out _), Is.False);
            Assert.That(json.RootElement.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString(),
                Does.Contain("for a new programmer").And.Contain("Explain recursion"));
        });
    }

    [Test]
    public async Task Ask_Executor_SendsBearerKeySystemAndFocusedPrompt()
    {
        var query = Queries.Unique("Sort a list in C#");
        Host.Gemini.Reply = _ => Plans.Json("coding", "Write idiomatic C# that sorts a List<int>.");

        using var response = await Host.AskAsync(new { query });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var sent = Host.OpenAI.Requests.Single(r => r.Method == "POST");
        using var json = JsonDocument.Parse(sent.Body);
        var messages = json.RootElement.GetProperty("messages");
        Assert.Multiple(async () =>
        {
            Assert.That(sent.Headers["authorization"], Is.EqualTo("Bearer " + FakeOpenAIServer.DefaultApiKey));
            Assert.That(json.RootElement.GetProperty("model").GetString(), Is.EqualTo("gpt-4o-mini"));
            Assert.That(messages[0].GetProperty("role").GetString(), Is.EqualTo("system"));
            Assert.That(messages[0].GetProperty("content").GetString(), Does.Contain("software engineer"));
            Assert.That(messages[1].GetProperty("content").GetString(), Does.StartWith("Write idiomatic C#").And.Contain(query));
            Assert.That((await AgentApiHost.JsonAsync(response)).GetProperty("route").GetString(), Is.EqualTo("coding"));
        });
    }

    [Test]
    public async Task Ask_SameQuestionTwice_SecondIsCachedWithoutProviderCalls()
    {
        var query = Queries.Unique("Name three prime numbers");
        using var first = await Host.AskAsync(new { query });
        var firstBody = await AgentApiHost.JsonAsync(first);

        using var second = await Host.AskAsync(new { query = "  " + query.Replace(" ", "   ", StringComparison.Ordinal) + "\n" });
        var secondBody = await AgentApiHost.JsonAsync(second);

        Assert.Multiple(() =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(secondBody.GetProperty("cached").GetBoolean(), Is.True);
            Assert.That(secondBody.GetProperty("answer").GetString(), Is.EqualTo(firstBody.GetProperty("answer").GetString()));
            Assert.That(secondBody.GetProperty("requestId").GetString(), Is.Not.EqualTo(firstBody.GetProperty("requestId").GetString()));
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(1), "a cache hit calls no orchestrator");
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1), "a cache hit calls no executor");
        });
    }

    [Test]
    public async Task Ask_OrchestratorAnswersProse_FallsBackToOriginalQuery()
    {
        var query = Queries.Unique("Tell me a joke");
        Host.Gemini.Reply = _ => "Sure! Here is what I think the user wants: a joke.";

        using var response = await Host.AskAsync(new { query });
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("fallbackReason").GetString(), Does.Contain("not a usable plan"));
            Assert.That(body.GetProperty("route").GetString(), Is.EqualTo("general"), "a fallback ask is answered on the default route");
            Assert.That(body.GetProperty("refinedPrompt").GetString(), Is.EqualTo(query));
            Assert.That(body.GetProperty("answer").GetString(), Is.EqualTo("echo: " + query));
        });
    }

    [Test]
    public async Task Ask_OrchestratorFailsEveryAttempt_FallsBackAndDoesNotCache()
    {
        var query = Queries.Unique("What is 2 + 2?");
        var serverError = FakeGeminiServer.InternalError();
        Host.Gemini.Enqueue(serverError, serverError, serverError);

        using var response = await Host.AskAsync(new { query });
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("fallbackReason").GetString(), Does.Contain("orchestrator"));
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(3), "three attempts (RETRY_MAX_ATTEMPTS default)");
            Assert.That(body.GetProperty("orchestrator").GetProperty("attempts").GetInt32(), Is.EqualTo(3), "a fallback still reports the attempts made");
        });

        using var again = await Host.AskAsync(new { query });
        var againBody = await AgentApiHost.JsonAsync(again);
        Assert.Multiple(() =>
        {
            Assert.That(againBody.GetProperty("cached").GetBoolean(), Is.False, "fallback answers are not cached");
            Assert.That(againBody.GetProperty("fallback").GetBoolean(), Is.False, "the orchestrator recovered");
        });
    }

    [Test]
    public async Task Ask_ExecutorFailsTwiceThenSucceeds_RetriesAndAnswers()
    {
        var overloaded = FakeResponse.Json(503, FakeOpenAIServer.ErrorBody("The engine is currently overloaded, please try again later", "server_error", null));
        Host.OpenAI.Enqueue(overloaded, overloaded);

        using var response = await Host.AskAsync(new { query = Queries.Unique("Define entropy") });
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(3));
            Assert.That(body.GetProperty("executor").GetProperty("attempts").GetInt32(), Is.EqualTo(3));
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.False);
        });
    }

    [Test]
    public async Task Ask_ExecutorKeepsFailing_Answers502ProblemWithRequestId()
    {
        var serverError = FakeOpenAIServer.ServerError();
        Host.OpenAI.Enqueue(serverError, serverError, serverError);

        using var response = await Host.AskAsync(new { query = Queries.Unique("Explain TCP") }, requestId: "trace-502");
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(body.GetProperty("requestId").GetString(), Is.EqualTo("trace-502"));
            Assert.That(body.GetProperty("status").GetInt32(), Is.EqualTo(502));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-error"));
            Assert.That(body.GetProperty("detail").GetString(), Does.Contain("executor"));
            Assert.That(body.GetProperty("detail").GetString(), Does.Not.Contain("Sorry about that"), "the provider's own text stays in the logs");
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Ask_ExecutorRejectsKey_Answers502WithoutRetryOrKey()
    {
        Host.OpenAI.Enqueue(FakeResponse.Json(401, FakeOpenAIServer.ErrorBody($"Incorrect API key provided: {FakeOpenAIServer.DefaultApiKey}.", "invalid_request_error", "invalid_api_key")));

        using var response = await Host.AskAsync(new { query = Queries.Unique("Hello") });
        var text = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(text, Does.Contain("OPENAI_API_KEY"));
            Assert.That(text, Does.Not.Contain(FakeOpenAIServer.DefaultApiKey));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1), "401 is never retried");
        });
    }

    [Test]
    public async Task Ask_CacheFalseInBody_CallsProvidersAgain()
    {
        var query = Queries.Unique("List the planets");
        using var first = await Host.AskAsync(new { query });
        using var second = await Host.AskAsync(new { query, cache = false });

        Assert.Multiple(async () =>
        {
            Assert.That((await AgentApiHost.JsonAsync(second)).GetProperty("cached").GetBoolean(), Is.False);
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Ask_CacheControlNoCache_CallsProvidersAgain()
    {
        var query = Queries.Unique("Describe a rainbow");
        using var first = await Host.AskAsync(new { query });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = System.Net.Http.Json.JsonContent.Create(new { query }) };
        request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };

        using var second = await Host.Client.SendAsync(request);

        Assert.Multiple(async () =>
        {
            Assert.That((await AgentApiHost.JsonAsync(second)).GetProperty("cached").GetBoolean(), Is.False);
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(2));
        });
    }
}
