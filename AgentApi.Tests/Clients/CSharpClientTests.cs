using AgentApi.Client;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Clients;

/// <summary>
/// Every endpoint through the C# client NSwag generates from the committed contract
/// (clients/AgentApi.Client), against the real app: what a caller who never reads our code gets.
/// </summary>
[TestFixture]
public sealed class CSharpClientTests : HostedFixture
{
    private AgentApiClient _client = null!;
    private HttpClient _keyed = null!;

    // The app requires a caller key, as a deployed one should; the client sends it on every request.
    protected override void Configure(Dictionary<string, string?> settings) => settings["AGENTAPI_API_KEYS"] = Callers.KeyA;

    // Runs after HostedFixture has started the app. The client uses HttpClient.BaseAddress as the service's address.
    [OneTimeSetUp]
    public void CreateClient()
    {
        _keyed = KeyedClient(Host, Callers.KeyA);
        _client = new AgentApiClient(_keyed);
    }

    [OneTimeTearDown]
    public void DisposeClient() => _keyed.Dispose();

    [Test]
    public async Task GetServiceDescriptionAsync_Always_LinksEndpointsAndContract()
    {
        var description = await _client.GetServiceDescriptionAsync();

        Assert.Multiple(() =>
        {
            Assert.That(description.Name, Is.EqualTo("AgentApi"));
            Assert.That(description.Links["ask"], Is.EqualTo("/api/ask"));
            Assert.That(description.Links["openApi"], Is.EqualTo("/openapi/v1.json"));
            Assert.That(description.Links["chatCompletions"], Is.EqualTo("/v1/chat/completions"));
        });
    }

    [Test]
    public async Task GetRoutesAsync_BuiltInTable_ListsTheFiveRoutesWithGeneralAsDefault()
    {
        var response = await _client.GetRoutesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(string.Join(',', response.Routes.Select(r => r.Name)), Is.EqualTo("general,coding,math,writing,analysis"));
            Assert.That(response.Routes.Single(r => r.Default).Name, Is.EqualTo("general"));
            Assert.That(response.Routes.Select(r => r.Model), Is.All.EqualTo(FakeOpenAIServer.DefaultModel));
            Assert.That(response.Routes.Select(r => r.Description), Is.All.Not.Empty);
        });
    }

    [Test]
    public async Task GetHealthAsync_BothProvidersConfigured_ReportsOk()
    {
        var health = await _client.GetHealthAsync();

        Assert.Multiple(() =>
        {
            Assert.That(health.Status, Is.EqualTo("ok"));
            Assert.That(string.Join(',', health.Providers.Select(p => p.Role)), Is.EqualTo("orchestrator,executor"));
            Assert.That(health.Providers.Select(p => p.MissingSetting), Is.All.Null);
        });
    }

    [Test]
    public async Task GetReadinessAsync_WarmUpOff_ReportsEveryCheckHealthy()
    {
        var readiness = await _client.GetReadinessAsync();

        Assert.Multiple(() =>
        {
            Assert.That(readiness.Status, Is.EqualTo("healthy"));
            Assert.That(string.Join(',', readiness.Checks.Keys.Order(StringComparer.Ordinal)), Is.EqualTo("cache,executor,lifetime,orchestrator,warm-up"));
            Assert.That(readiness.Checks["executor"].Description, Is.EqualTo("Configured, circuit closed."));
        });
    }

    [Test]
    public async Task GetMetricsAsync_Always_ReturnsThePrometheusText()
    {
        var metrics = await _client.GetMetricsAsync();

        Assert.That(metrics, Does.Contain("# TYPE "));
    }

    [Test]
    public async Task GetCacheHealthAsync_AfterAnAnswer_CountsTheMiss()
    {
        var before = await _client.GetCacheHealthAsync();

        await _client.AskAsync(new AskRequest { Query = $"Count me ({Guid.NewGuid():N})" });
        var after = await _client.GetCacheHealthAsync();

        Assert.Multiple(() =>
        {
            Assert.That(after.Misses - before.Misses, Is.EqualTo(1));
            Assert.That(after.Tiers, Does.Contain("memory"));
        });
    }

    [Test]
    public async Task AskAsync_ProvidersHealthy_ReturnsTypedAnswer()
    {
        var query = $"What is the capital of France? ({Guid.NewGuid():N})";

        var response = await _client.AskAsync(new AskRequest { Query = query, Context = "One sentence." });

        Assert.Multiple(() =>
        {
            Assert.That(response.Answer, Does.StartWith("echo: Focused: " + query));
            Assert.That(response.Route, Is.EqualTo("general"));
            Assert.That(response.Cached, Is.False);
            Assert.That(response.FallbackReason, Is.Null);
            Assert.That(response.Orchestrator.Provider, Is.EqualTo("gemini"));
            Assert.That(response.Executor.Attempts, Is.EqualTo(1));
            Assert.That(response.Usage.TotalTokens, Is.GreaterThan(0));
            Assert.That(response.RequestId, Is.Not.Empty);
        });
    }

    [Test]
    public async Task AskAsync_ResponseSchema_AnswerIsJsonThatMatchesTheSchema()
    {
        const string schema = """{"type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer"}},"required":["city","population"],"additionalProperties":false}""";
        var query = $"Which is the largest city of France? ({Guid.NewGuid():N})";
        using var schemaDocument = System.Text.Json.JsonDocument.Parse(schema);

        var response = await _client.AskAsync(new AskRequest { Query = query, ResponseSchema = schemaDocument.RootElement });

        using var answer = System.Text.Json.JsonDocument.Parse(response.Answer);
        var sent = System.Text.Json.Nodes.JsonNode.Parse(Host.OpenAI.Requests.Single(r => r.Method == "POST").Body)!;
        var orchestrator = Host.Gemini.Requests.Single(r => r.Method == "POST").Body;
        Assert.Multiple(() =>
        {
            Assert.That(answer.RootElement.GetProperty("city").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.String));
            Assert.That(answer.RootElement.GetProperty("population").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Number));
            Assert.That(response.Refusal, Is.Null);
            Assert.That((string?)sent["response_format"]!["type"], Is.EqualTo("json_schema"));
            Assert.That((bool?)sent["response_format"]!["json_schema"]!["strict"], Is.True);
            Assert.That(System.Text.Json.Nodes.JsonNode.DeepEquals(sent["response_format"]!["json_schema"]!["schema"], System.Text.Json.Nodes.JsonNode.Parse(schema)), Is.True);
            Assert.That((string?)sent["messages"]![1]!["content"], Is.EqualTo(query), "the question as asked; the focused prompt is guidance in the instructions");
            Assert.That((string?)sent["messages"]![0]!["content"], Does.Contain("Guidance from the router"));
            Assert.That(orchestrator, Does.Not.Contain("population"), "the schema is the executor's only");
        });
    }

    [Test]
    public async Task AskStreamAsync_ResponseSchema_DeltasJoinIntoJsonThatMatchesTheSchema()
    {
        using var schema = System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""");

        using var file = await _client.AskStreamAsync(new AskRequest { Query = $"Stream a city ({Guid.NewGuid():N})", ResponseSchema = schema.RootElement });
        using var reader = new StreamReader(file.Stream);
        var text = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: {\"text\"", StringComparison.Ordinal))
            {
                text.Append(System.Text.Json.JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("text").GetString());
            }
        }

        using var answer = System.Text.Json.JsonDocument.Parse(text.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(answer.RootElement.GetProperty("city").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.String));
            Assert.That(Host.OpenAI.Requests.Single(r => r.Method == "POST").Body, Does.Contain("\"json_schema\"").And.Contain("\"stream\":true"));
        });
    }

    [TestCase("\"a schema\"")]
    [TestCase("""{"type":"object","properties":{"city":{"type":"string"}}}""")]
    public void AskAsync_ResponseSchemaNotAStrictObjectSchema_ThrowsValidationProblemNamingTheField(string schema)
    {
        using var notAnObject = System.Text.Json.JsonDocument.Parse(schema);

        var exception = Assert.ThrowsAsync<ApiException<ValidationProblemDetails>>(() =>
            _client.AskAsync(new AskRequest { Query = $"Shape it ({Guid.NewGuid():N})", ResponseSchema = notAnObject.RootElement }));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StatusCode, Is.EqualTo(400));
            Assert.That(exception.Result.Errors["responseSchema"], Is.Not.Empty);
            Assert.That(Host.Gemini.CallCount + Host.OpenAI.CallCount, Is.Zero);
        });
    }

    [Test]
    public async Task AskStreamAsync_ProvidersHealthy_ReturnsTheEventStreamWithTypedEventData()
    {
        var query = $"Stream it ({Guid.NewGuid():N})";

        using var file = await _client.AskStreamAsync(new AskRequest { Query = query });
        using var reader = new StreamReader(file.Stream);
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }

        var names = lines.Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l["event: ".Length..]).ToList();
        var done = System.Text.Json.JsonSerializer.Deserialize<AskStreamDoneEvent>(lines[^2]["data: ".Length..], System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.Multiple(() =>
        {
            Assert.That(file.StatusCode, Is.EqualTo(200));
            Assert.That(names[0], Is.EqualTo("plan"));
            Assert.That(names[^1], Is.EqualTo("done"));
            Assert.That(done.Usage.TotalTokens, Is.GreaterThan(0));
            Assert.That(done.Executor.Provider, Is.EqualTo("openai"));
        });
    }

    [Test]
    public void AskAsync_BlankQuery_ThrowsValidationProblemNamingTheField()
    {
        var exception = Assert.ThrowsAsync<ApiException<ValidationProblemDetails>>(() => _client.AskAsync(new AskRequest { Query = " " }));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StatusCode, Is.EqualTo(400));
            Assert.That(exception.Headers["Content-Type"].Single(), Does.StartWith("application/problem+json"));
            Assert.That(exception.Result.Type, Is.EqualTo("urn:agentapi:problem:validation"));
            Assert.That(exception.Result.Errors["query"], Is.Not.Empty);
            Assert.That(exception.Result.RequestId, Is.EqualTo(exception.Headers["X-Request-ID"].Single()));
            Assert.That(Host.OpenAI.CallCount, Is.Zero);
        });
    }

    [Test]
    public void AskAsync_BodyOverOneMebibyte_ThrowsProblem413()
    {
        var exception = Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => _client.AskAsync(new AskRequest { Query = new string('a', 1_100_000) }));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StatusCode, Is.EqualTo(413));
            Assert.That(exception.Result.Type, Is.EqualTo("urn:agentapi:problem:request-too-large"));
        });
    }

    [Test]
    public void AskAsync_ExecutorKeepsFailing_ThrowsProblem502NamingTheProvider()
    {
        var serverError = FakeOpenAIServer.ServerError();
        Host.OpenAI.Enqueue(serverError, serverError, serverError);

        var exception = Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => _client.AskAsync(new AskRequest { Query = $"Fail ({Guid.NewGuid():N})" }));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StatusCode, Is.EqualTo(502));
            Assert.That(exception.Result.Status, Is.EqualTo(502));
            Assert.That(exception.Result.Type, Is.EqualTo("urn:agentapi:problem:provider-error"));
            Assert.That(exception.Result.Role, Is.EqualTo("executor"));
            Assert.That(exception.Result.Provider, Is.EqualTo("openai"));
            Assert.That(exception.Result.Detail, Is.Not.Empty);
            Assert.That(exception.Result.RequestId, Is.EqualTo(exception.Headers["X-Request-ID"].Single()));
        });
    }

    [Test]
    public void AskAsync_ExecutorRateLimitedBeyondTheDeadline_ThrowsProblem503WithRetryAfter()
    {
        // A wait longer than the request's deadline is not retried: the caller is told when to come back.
        Host.OpenAI.Enqueue(FakeResponse.Json(429, FakeOpenAIServer.ErrorBody("Rate limit reached", "tokens", "rate_limit_exceeded"), ("Retry-After", "3600")));

        var exception = Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => _client.AskAsync(new AskRequest { Query = $"Busy ({Guid.NewGuid():N})" }));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StatusCode, Is.EqualTo(503));
            Assert.That(exception.Result.Type, Is.EqualTo("urn:agentapi:problem:provider-rate-limited"));
            Assert.That(exception.Result.RetryAfterSeconds, Is.EqualTo(3600));
            Assert.That(exception.Headers["Retry-After"].Single(), Is.EqualTo("3600"));
        });
    }

    [Test]
    public async Task AskAsync_ExecutorNotConfigured_ThrowsProblem503NamingTheSetting()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["OPENAI_API_KEY"] = "");
        var client = new AgentApiClient(host.Client);

        var exception = Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => client.AskAsync(new AskRequest { Query = "Anyone there?" }));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StatusCode, Is.EqualTo(503));
            Assert.That(exception.Result.Type, Is.EqualTo("urn:agentapi:problem:provider-not-configured"));
            Assert.That(exception.Result.Setting, Is.EqualTo("OPENAI_API_KEY"));
            Assert.That(string.Join(',', exception.Result.Settings ?? []), Is.EqualTo("OPENAI_API_KEY"));
            Assert.That(exception.Result.Role, Is.EqualTo("executor"));
        });
    }

    [Test]
    public void AskAsync_WithoutKey_ThrowsProblem401()
    {
        var anonymous = new AgentApiClient(Host.Client);

        var exception = Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => anonymous.AskAsync(new AskRequest { Query = "Let me in?" }));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StatusCode, Is.EqualTo(401));
            Assert.That(exception.Result.Type, Is.EqualTo("urn:agentapi:problem:unauthorized"));
            Assert.That(exception.Headers["WWW-Authenticate"].Single(), Is.EqualTo("Bearer"));
        });
    }

    [Test]
    public async Task AskAsync_OverTheCallersRateLimit_ThrowsProblem429WithRetryAfter()
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["AGENTAPI_API_KEYS"] = Callers.KeyB;
            settings["RATE_LIMIT_PER_MINUTE"] = "1";
        });
        using var http = KeyedClient(host, Callers.KeyB);
        var client = new AgentApiClient(http);
        await client.AskAsync(new AskRequest { Query = $"First ({Guid.NewGuid():N})" });

        var exception = Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => client.AskAsync(new AskRequest { Query = $"Second ({Guid.NewGuid():N})" }));

        Assert.Multiple(() =>
        {
            Assert.That(exception.StatusCode, Is.EqualTo(429));
            Assert.That(exception.Result.Type, Is.EqualTo("urn:agentapi:problem:rate-limited"));
            Assert.That(exception.Result.RetryAfterSeconds, Is.InRange(1, 60));
            Assert.That(exception.Headers["Retry-After"].Single(), Is.EqualTo(exception.Result.RetryAfterSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    /// <summary>How a caller sends its key with the generated client: on the HttpClient it is given.</summary>
    private static HttpClient KeyedClient(AgentApiHost host, string key)
    {
        var http = new HttpClient { BaseAddress = host.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return http;
    }
}
