using System.Net;
using System.Text.Json;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Providers;

/// <summary>
/// Issue 23: a route's executor fails over to its next model when the failure is not the caller's, before anything reached
/// the caller, and says so. The route is on the built-in <c>openai</c> provider (the host's fake) with the table's
/// <c>backup</c> provider (a second fake OpenAI-compatible server) as its fallback. One attempt per provider, so each
/// scripted failure is one call.
/// </summary>
[TestFixture]
public sealed class FallbackTests
{
    private const string BackupKey = "test-backup-key";

    private static readonly string[] ExpectedProviders = ["orchestrator gemini gemini", "executor openai openai", "executor backup openai"];

    private FakeOpenAIServer _backup = null!;
    private AgentApiHost _host = null!;
    private string _directory = null!;

    public static IEnumerable<TestCaseData> Matrix()
    {
        (string Name, Func<FakeResponse> Response, string Reason)[] failures =
        [
            ("500", FakeOpenAIServer.ServerError, "upstream_error"),
            ("503", () => FakeResponse.Json(503, FakeOpenAIServer.ErrorBody("The engine is currently overloaded, please try again later.", "server_error", null)), "unavailable"),
            ("529", () => FakeResponse.Json(529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""), "unavailable"),
            ("timeout", FakeResponse.Hang, "timeout"),
            ("connection reset", FakeResponse.Reset, "upstream_error"),
            ("429 past the deadline", () => FakeResponse.Json(429, FakeOpenAIServer.ErrorBody("Rate limit reached for gpt-4o-mini. Please try again in 20m0s.", "requests", "rate_limit_exceeded"), ("retry-after", "1200")), "rate_limited"),
            ("quota", () => FakeResponse.Json(429, FakeOpenAIServer.ErrorBody("You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota")), "quota_exhausted"),
            ("401 of the gateway's key", () => FakeResponse.Json(401, FakeOpenAIServer.ErrorBody("Incorrect API key provided: sk-proj-****.", "invalid_request_error", "invalid_api_key")), "rejected"),
            ("404 of the model", () => FakeResponse.Json(404, FakeOpenAIServer.ErrorBody("The model `gpt-4o-mini` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found")), "rejected"),
        ];
        foreach (var (name, response, reason) in failures)
        {
            foreach (var door in Door.All)
            {
                yield return new TestCaseData(door, response, reason).SetName($"Ask_Primary{Pascal(name)}_{door.Name}_AnsweredByTheFallbackAndNamed");
            }
        }
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _backup = await FakeOpenAIServer.StartAsync(BackupKey);
        _directory = Directory.CreateTempSubdirectory("agentapi-fallbacks").FullName;
        var routes = Path.Combine(_directory, "routes.json");
        await File.WriteAllTextAsync(routes, RoutesFile(_backup.BaseUrl));
        _host = await AgentApiHost.StartAsync(settings =>
        {
            settings["ROUTES_FILE"] = routes;
            settings["BACKUP_API_KEY"] = BackupKey;
            settings["RETRY_MAX_ATTEMPTS"] = "1";
            settings["EXECUTOR_TIMEOUT_SECONDS"] = "1";
            settings["REQUEST_TIMEOUT_SECONDS"] = "20";
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _backup.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [SetUp]
    public void Reset()
    {
        _host.ResetFakes();
        _backup.Reset();
    }

    [TestCaseSource(nameof(Matrix))]
    public async Task Ask_PrimaryFails_AnsweredByTheFallbackAndNamed(Door door, Func<FakeResponse> failure, string reason)
    {
        _host.OpenAI.Enqueue(failure());

        using var response = await _host.Client.SendAsync(door.Request(door.Body(Queries.Unique("What is the capital of France?"))));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var (provider, passed) = WhoAnswered(door, response, body);
        Assert.Multiple(() =>
        {
            Assert.That(provider, Is.EqualTo("backup"), "the fallback is named as the provider that answered");
            Assert.That(passed, Does.StartWith($"openai/gpt-4o-mini {reason}"), "the primary is named with why it was passed over");
            Assert.That(body, Does.Contain("echo:"), "the fallback's answer");
            Assert.That(_host.OpenAI.CallCount, Is.EqualTo(1));
            Assert.That(_backup.CallCount, Is.EqualTo(1));
            Assert.That(body, Does.Not.Contain("\"error\""));
        });
    }

    [TestCaseSource(typeof(Door), nameof(Door.All))]
    public async Task Ask_ProviderFindsTheRequestInvalid_AnswersTheCallers400WithoutFallingBack(Door door)
    {
        _host.OpenAI.Enqueue(FakeResponse.Json(400, FakeOpenAIServer.ErrorBody(
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
            "invalid_request_error", "context_length_exceeded", "messages")));

        using var response = await _host.Client.SendAsync(door.Request(door.Body(Queries.Unique("A very long question"))));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain("maximum context length is 128000 tokens"), "the caller learns what to change");
            Assert.That(body, Does.Contain(door.IsOpenAI ? "\"invalid_request_error\"" : "urn:agentapi:problem:provider-invalid-request"));
            Assert.That(_backup.CallCount, Is.Zero, "the caller's request would be as invalid at the fallback");
        });
    }

    [TestCaseSource(typeof(Door), nameof(Door.Streamed))]
    public async Task Stream_PrimaryBreaksAfterTheFirstText_EndsWithTheErrorEventWithoutFallingBack(Door door)
    {
        _host.OpenAI.Reply = _ => "one two three four five six seven eight";
        _host.OpenAI.Enqueue(FakeResponse.Streamed(new FakeStreaming { CutAfter = 3, ChunkDelay = TimeSpan.FromMilliseconds(50) }));

        using var response = await _host.Client.SendAsync(door.Request(door.Body(Queries.Unique("Count to eight"))), HttpCompletionOption.ResponseHeadersRead);
        var body = await ReadUntilClosedAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the stream had started");
            Assert.That(body, Does.Contain("one"), "the text the caller already has");
            Assert.That(body, Does.Contain(door.IsOpenAI ? "\"error\"" : "event: error"), "the stream ends with its error");
            Assert.That(body, Does.Not.Contain("echo:"));
            Assert.That(_backup.CallCount, Is.Zero, "a second model's text after the first's would mix two answers");
        });
    }

    [Test]
    public async Task Ask_PrimaryBreaksMidAnswerOfABufferedAsk_FallsBackSinceTheCallerSawNothing()
    {
        _host.OpenAI.Reply = _ => "one two three four five six seven eight";
        _host.OpenAI.Enqueue(FakeResponse.Streamed(new FakeStreaming { CutAfter = 3, ChunkDelay = TimeSpan.FromMilliseconds(50) }));

        using var response = await _host.AskAsync(new { query = Queries.Unique("Count to eight") });
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("executor").GetProperty("provider").GetString(), Is.EqualTo("backup"));
            Assert.That(body.GetProperty("executor").GetProperty("fallbackFrom")[0].GetProperty("reason").GetString(), Is.EqualTo("upstream_error"));
            Assert.That(_host.OpenAI.Requests[0].Body, Does.Contain("\"stream\":true"), "the executor's answer is streamed from the provider, a buffered ask's too");
        });
    }

    [Test]
    public async Task Ask_PrimaryFails_FallbackCountedByRouteFromToAndReason()
    {
        _host.OpenAI.Enqueue(FakeOpenAIServer.ServerError());

        using var response = await _host.AskAsync(new { query = Queries.Unique("Counted") });
        var metrics = await PrometheusScrape.ScrapeAsync(_host.Client);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(metrics.Sum("agentapi_fallbacks_total", ("route", "general"), ("from", "openai/gpt-4o-mini"), ("to", "backup/gpt-4o-mini"), ("reason", "upstream_error")), Is.GreaterThanOrEqualTo(1));
            Assert.That(metrics.Sum("agentapi_tokens_total", ("role", "executor"), ("provider", "backup")), Is.GreaterThan(0), "tokens by the provider that answered");
        });
    }

    [TestCaseSource(typeof(Door), nameof(Door.All))]
    public async Task Ask_OpenAIDown_AnsweredAcrossProtocolsByAnthropic(Door door)
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        var directory = Directory.CreateTempSubdirectory("agentapi-cross-protocol").FullName;
        try
        {
            var routes = Path.Combine(directory, "routes.json");
            await File.WriteAllTextAsync(routes, $$"""
                { "providers": [ { "name": "anthropic", "protocol": "anthropic", "baseUrl": "{{anthropic.BaseUrl}}", "apiKeyVariable": "ANTHROPIC_API_KEY" } ],
                  "routes": [ { "name": "general", "default": true, "description": "Anything.", "instructions": "Be helpful.",
                                "model": "openai/gpt-4o-mini", "fallbacks": ["anthropic/{{FakeAnthropicServer.DefaultModel}}"] } ] }
                """);
            await using var host = await AgentApiHost.StartAsync(settings =>
            {
                settings["ROUTES_FILE"] = routes;
                settings["ANTHROPIC_API_KEY"] = FakeAnthropicServer.DefaultApiKey;
                settings["RETRY_MAX_ATTEMPTS"] = "1";
            });
            host.OpenAI.Enqueue(FakeOpenAIServer.ServerError());

            using var response = await host.Client.SendAsync(door.Request(door.Body(Queries.Unique("What is the capital of France?"))));
            var body = await response.Content.ReadAsStringAsync();
            var (provider, passed) = WhoAnswered(door, response, body);

            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
                Assert.That(provider, Is.EqualTo("anthropic"));
                Assert.That(passed, Does.StartWith("openai/gpt-4o-mini upstream_error"));
                Assert.That(anthropic.Requests.Single(r => r.Method == "POST").Body, Does.Contain("\"system\":\"Be helpful."), "the route's instructions, in Anthropic's top-level system");
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Health_ListsEveryProviderOfEachRole()
    {
        using var health = await _host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var providers = (await AgentApiHost.JsonAsync(health)).GetProperty("providers").EnumerateArray()
            .Select(p => $"{p.GetProperty("role").GetString()} {p.GetProperty("provider").GetString()} {p.GetProperty("protocol").GetString()}").ToList();
        using var ready = await _host.Client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        var checks = (await AgentApiHost.JsonAsync(ready)).GetProperty("checks");

        Assert.Multiple(() =>
        {
            Assert.That(providers, Is.EqualTo(ExpectedProviders));
            Assert.That(checks.GetProperty("executor:backup").GetProperty("status").GetString(), Is.EqualTo("healthy"));
        });
    }

    internal static string RoutesFile(Uri backup) => $$"""
        {
          "providers": [
            { "name": "backup", "protocol": "openai", "baseUrl": "{{backup}}", "apiKeyVariable": "BACKUP_API_KEY", "headers": { "x-agentapi-test": "fallbacks" } }
          ],
          "routes": [
            { "name": "general", "default": true, "description": "Anything.", "instructions": "Be helpful.",
              "model": "openai/gpt-4o-mini", "fallbacks": ["backup/gpt-4o-mini"] }
          ]
        }
        """;

    /// <summary>The provider that answered and the first model passed over (<c>provider/model reason</c>), as the door tells them.</summary>
    private static (string? Provider, string Passed) WhoAnswered(Door door, HttpResponseMessage response, string body)
    {
        if (door.IsOpenAI)
        {
            var provider = response.Headers.TryGetValues("x-agentapi-executor-provider", out var p) ? p.Single() : null;
            var passed = response.Headers.TryGetValues("x-agentapi-executor-fallback-from", out var f) ? f.Single() : string.Empty;
            return (provider, passed.Replace(";reason=", " ", StringComparison.Ordinal));
        }

        var json = door.IsStreamed ? DoneEvent(body) : JsonDocument.Parse(body).RootElement;
        var executor = json.GetProperty("executor");
        var first = executor.GetProperty("fallbackFrom").EnumerateArray().FirstOrDefault();
        return (executor.GetProperty("provider").GetString(),
            first.ValueKind == JsonValueKind.Undefined ? string.Empty : $"{first.GetProperty("provider").GetString()}/{first.GetProperty("model").GetString()} {first.GetProperty("reason").GetString()}");
    }

    /// <summary>What a stream sent before it ended: /v1 drops the connection after its error event, as OpenAI does.</summary>
    private static async Task<string> ReadUntilClosedAsync(HttpResponseMessage response)
    {
        var received = new MemoryStream();
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            await stream.CopyToAsync(received);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The connection was closed after the error event.
        }

        return System.Text.Encoding.UTF8.GetString(received.ToArray());
    }

    private static JsonElement DoneEvent(string body)
    {
        var frame = body.Split("\n\n").Single(f => f.StartsWith("event: done", StringComparison.Ordinal) || f.Contains("\nevent: done", StringComparison.Ordinal));
        var data = frame.Split('\n').Single(line => line.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
        return JsonDocument.Parse(data).RootElement.Clone();
    }

    private static string Pascal(string name) => string.Concat(name.Split(' ', '\'').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
