using System.Net;
using System.Text;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

[TestFixture]
public sealed class HttpSurfaceTests : HostedFixture
{
    [Test]
    public async Task GetRoot_Always_DescribesServiceWithLinks()
    {
        using var response = await Host.Client.GetAsync(new Uri("/", UriKind.Relative));
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("name").GetString(), Is.EqualTo("AgentApi"));
            Assert.That(body.GetProperty("version").GetString(), Does.Match(@"^\d+\.\d+\.\d+"));
            Assert.That(body.GetProperty("links").GetProperty("ask").GetString(), Is.EqualTo("/api/ask"));
            Assert.That(body.GetProperty("links").GetProperty("docs").GetString(), Is.EqualTo("/docs"));
            Assert.That(body.GetProperty("links").GetProperty("openApi").GetString(), Is.EqualTo("/openapi/v1.json"));
            Assert.That(body.GetProperty("links").GetProperty("ready").GetString(), Is.EqualTo("/healthz/ready"));
            Assert.That(body.GetProperty("links").GetProperty("metrics").GetString(), Is.EqualTo("/metrics"));
        });
    }

    [Test]
    public async Task GetHealth_BothProvidersConfigured_ReportsOk()
    {
        using var response = await Host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("ok"));
            Assert.That(body.GetProperty("uptimeSeconds").GetDouble(), Is.GreaterThanOrEqualTo(0));
            Assert.That(string.Join(',', body.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("role").GetString())), Is.EqualTo("orchestrator,executor"));
            Assert.That(body.GetProperty("providers").EnumerateArray().All(p => p.GetProperty("configured").GetBoolean()), Is.True);
        });
    }

    [Test]
    public async Task GetCacheHealth_AfterMissAndHit_CountsBoth()
    {
        using var before = await Host.Client.GetAsync(new Uri("/healthz/cache", UriKind.Relative));
        var start = await AgentApiHost.JsonAsync(before);
        var query = $"Cache stats {Guid.NewGuid():N}";

        (await Host.AskAsync(new { query })).Dispose();
        (await Host.AskAsync(new { query })).Dispose();

        using var after = await Host.Client.GetAsync(new Uri("/healthz/cache", UriKind.Relative));
        var end = await AgentApiHost.JsonAsync(after);
        Assert.Multiple(() =>
        {
            Assert.That(end.GetProperty("misses").GetInt64() - start.GetProperty("misses").GetInt64(), Is.EqualTo(1));
            Assert.That(end.GetProperty("hits").GetInt64() - start.GetProperty("hits").GetInt64(), Is.EqualTo(1));
            Assert.That(end.GetProperty("entries").GetInt64(), Is.GreaterThanOrEqualTo(1));
            Assert.That(end.GetProperty("hitRatio").GetDouble(), Is.InRange(0.0, 1.0));
            Assert.That(end.GetProperty("ttlSeconds").GetDouble(), Is.EqualTo(3600));
        });
    }

    [Test]
    public async Task GetDocs_Always_ServesSwaggerUiForTheOpenApiDocument()
    {
        using var ui = await Host.Client.GetAsync(new Uri("/docs/index.html", UriKind.Relative));
        using var document = await Host.Client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var openApi = await AgentApiHost.JsonAsync(document);

        Assert.Multiple(async () =>
        {
            Assert.That(ui.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var page = await ui.Content.ReadAsStringAsync();
            Assert.That(page, Does.Contain("swagger-ui"));
            Assert.That(page, Does.Contain("docExpansion: \"list\""), "the endpoints are listed when the page opens");
            Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(openApi.GetProperty("paths").TryGetProperty("/api/ask", out _), Is.True);
            Assert.That(openApi.GetProperty("paths").TryGetProperty("/healthz", out _), Is.True);
        });
    }

    [Test]
    public async Task AnyRequest_SaneRequestIdHeader_IsEchoed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("X-Request-ID", "client-id_1.2-3");

        using var response = await Host.Client.SendAsync(request);

        Assert.That(response.Headers.GetValues("X-Request-ID").Single(), Is.EqualTo("client-id_1.2-3"));
    }

    [TestCase("has space")]
    [TestCase("semi;colon")]
    [TestCase("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task AnyRequest_InsaneRequestIdHeader_IsReplaced(string supplied)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.TryAddWithoutValidation("X-Request-ID", supplied);

        using var response = await Host.Client.SendAsync(request);
        var id = response.Headers.GetValues("X-Request-ID").Single();

        Assert.Multiple(() =>
        {
            Assert.That(id, Is.Not.EqualTo(supplied));
            Assert.That(id, Does.Match("^[A-Za-z0-9._-]{1,64}$"));
        });
    }

    [Test]
    public async Task UnknownPath_Always_Answers404ProblemWithRequestId()
    {
        using var response = await Host.Client.GetAsync(new Uri("/no/such/thing", UriKind.Relative));
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:not-found"));
            Assert.That(body.GetProperty("detail").GetString(), Is.EqualTo("There is nothing at GET /no/such/thing. GET / lists the endpoints; /docs describes them."));
            Assert.That(body.GetProperty("requestId").GetString(), Is.EqualTo(response.Headers.GetValues("X-Request-ID").Single()));
        });
    }

    [TestCase("""{"query":""}""", "query")]
    [TestCase("""{"query":"   \n\t "}""", "query")]
    [TestCase("""{}""", "query")]
    [TestCase("""{"query":null}""", "query")]
    [TestCase("""{"query":42}""", "query")]
    [TestCase("""{"query":"ok","context":7}""", "context")]
    [TestCase("""{"query":"ok","cache":"yes"}""", "cache")]
    [TestCase("""{"query":"ok","model":"gpt-5"}""", "model")]
    [TestCase("""{"query":"unterminated""", "query")]
    public async Task Ask_InvalidBody_Answers400WithFieldError(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await Host.Client.PostAsync(new Uri("/api/ask", UriKind.Relative), content);
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(body.GetProperty("errors").TryGetProperty(field, out var errors), Is.True, body.ToString());
            Assert.That(errors.GetArrayLength(), Is.GreaterThan(0));
            Assert.That(body.GetProperty("errors").ToString(), Does.Not.Contain("System."), "no .NET type names leak");
            Assert.That(body.GetProperty("requestId").GetString(), Is.EqualTo(response.Headers.GetValues("X-Request-ID").Single()));
            Assert.That(Host.OpenAI.CallCount, Is.Zero);
        });
    }

    [Test]
    public async Task Ask_QueryOverLimit_Answers400NamingTheLimit()
    {
        using var response = await Host.AskAsync(new { query = new string('q', 8_001) });
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("errors").GetProperty("query")[0].GetString(), Does.Contain("8000"));
        });
    }

    [Test]
    public async Task Ask_QueryAtLimit_IsAccepted()
    {
        using var response = await Host.AskAsync(new { query = new string('q', 7_990) + Guid.NewGuid().ToString("N")[..10] });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Ask_ContextOverLimit_Answers400()
    {
        using var response = await Host.AskAsync(new { query = "ok", context = new string('c', 32_001) });
        var body = await AgentApiHost.JsonAsync(response);

        Assert.That(body.GetProperty("errors").GetProperty("context")[0].GetString(), Does.Contain("32000"));
    }

    [Test]
    public async Task Ask_BodyOverOneMebibyte_Answers413Problem()
    {
        using var content = new StringContent("{\"query\":\"" + new string('a', 1_100_000) + "\"}", Encoding.UTF8, "application/json");

        using var response = await Host.Client.PostAsync(new Uri("/api/ask", UriKind.Relative), content);
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:request-too-large"));
            Assert.That(body.TryGetProperty("requestId", out _), Is.True);
        });
    }

    [Test]
    public async Task Ask_PlainTextBody_Answers415ProblemWithRequestId()
    {
        using var content = new StringContent("what is love?", Encoding.UTF8, "text/plain");

        using var response = await Host.Client.PostAsync(new Uri("/api/ask", UriKind.Relative), content);
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:unsupported-media-type"));
            Assert.That(body.GetProperty("detail").GetString(), Is.EqualTo("The body was sent as text/plain. Send it as JSON with the header Content-Type: application/json."));
            Assert.That(body.TryGetProperty("requestId", out _), Is.True);
        });
    }

    [Test]
    public async Task Ask_WrongMethod_Answers405ProblemWithRequestId()
    {
        using var response = await Host.Client.GetAsync(new Uri("/api/ask", UriKind.Relative));
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:method-not-allowed"));
            Assert.That(body.GetProperty("detail").GetString(), Is.EqualTo("/api/ask does not answer GET. Use POST (the Allow header lists the methods)."));
            Assert.That(string.Join(",", response.Content.Headers.Allow), Is.EqualTo("POST"));
            Assert.That(body.TryGetProperty("requestId", out _), Is.True);
        });
    }
}
