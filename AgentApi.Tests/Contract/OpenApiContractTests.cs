using System.Text.Json;
using AgentApi.Tests.Support;
using AgentApi.Web.Ask;

namespace AgentApi.Tests.Contract;

/// <summary>
/// The served OpenAPI document is the contract clients are generated from. It is committed as
/// <c>AgentApi.Web/openapi.json</c> so every change to it is a reviewed diff; run the tests with
/// <c>UPDATE_OPENAPI=1</c> to rewrite the file after an intended change.
/// </summary>
[TestFixture]
public sealed class OpenApiContractTests : HostedFixture
{
    private const string UpdateVariable = "UPDATE_OPENAPI";
    private static readonly string[] ErrorStatuses = ["400", "413", "429", "502", "503", "504"];
    private static readonly string[] StreamEvents = ["plan", "delta", "done", "error"];

    private string _served = null!;
    private JsonElement _document;

    [OneTimeSetUp]
    public async Task FetchDocumentAsync()
    {
        _served = Normalize(await Host.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        using var document = JsonDocument.Parse(_served);
        _document = document.RootElement.Clone();
    }

    [Test]
    public async Task ServedDocument_Always_MatchesCommittedContract()
    {
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(RepositoryPaths.OpenApiContract, _served);
            Assert.Pass($"Rewrote {RepositoryPaths.OpenApiContract}: review and commit the diff.");
        }

        var committed = Normalize(await File.ReadAllTextAsync(RepositoryPaths.OpenApiContract));

        Assert.That(_served, Is.EqualTo(committed),
            $"The served contract differs from AgentApi.Web/openapi.json. If the change is intended, run `{UpdateVariable}=1 dotnet test` and commit the file.");
    }

    [Test]
    public void ServedDocument_Operations_HaveClientFriendlyIdsAndTags()
    {
        var operations = Operations().ToDictionary(o => o.Path + " " + o.Method, o => (Id: o.Operation.GetProperty("operationId").GetString(), Tag: o.Operation.GetProperty("tags")[0].GetString()));

        Assert.That(operations, Is.EquivalentTo(new Dictionary<string, (string?, string?)>
        {
            ["/api/ask post"] = ("Ask", "Ask"),
            ["/api/ask/stream post"] = ("AskStream", "Ask"),
            ["/api/routes get"] = ("GetRoutes", "Routes"),
            ["/healthz get"] = ("GetHealth", "Health"),
            ["/healthz/cache get"] = ("GetCacheHealth", "Health"),
            ["/healthz/ready get"] = ("GetReadiness", "Health"),
            ["/metrics get"] = ("GetMetrics", "Health"),
            ["/ get"] = ("GetServiceDescription", "Service"),
        }));
    }

    [TestCase("/api/ask")]
    [TestCase("/api/ask/stream")]
    public void AskOperation_ErrorResponses_AreProblemJsonWithProblemSchema(string path)
    {
        var responses = Operations().Single(o => o.Path == path).Operation.GetProperty("responses");

        Assert.Multiple(() =>
        {
            foreach (var status in ErrorStatuses)
            {
                Assert.That(responses.TryGetProperty(status, out var response), Is.True, $"{status} is declared");
                var content = response.GetProperty("content");
                Assert.That(string.Join(',', content.EnumerateObject().Select(c => c.Name)), Is.EqualTo("application/problem+json"), status);
                Assert.That(content.GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString(),
                    Is.EqualTo(status == "400" ? "#/components/schemas/ValidationProblemDetails" : "#/components/schemas/ProblemDetails"), status);
            }

            Assert.That(responses.GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _), Is.True);
        });
    }

    [TestCase("400", "urn:agentapi:problem:validation")]
    [TestCase("413", "urn:agentapi:problem:request-too-large")]
    [TestCase("429", "urn:agentapi:problem:rate-limited")]
    [TestCase("502", "urn:agentapi:problem:provider-error")]
    [TestCase("503", "urn:agentapi:problem:provider-not-configured")]
    [TestCase("504", "urn:agentapi:problem:provider-timeout")]
    public void AskOperation_ErrorResponse_HasItsOwnExample(string status, string type)
    {
        var example = Operations().Single(o => o.Path == "/api/ask").Operation
            .GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty("application/problem+json").GetProperty("example");

        Assert.Multiple(() =>
        {
            Assert.That(example.GetProperty("status").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(status));
            Assert.That(example.GetProperty("type").GetString(), Is.EqualTo(type));
            Assert.That(example.GetProperty("detail").GetString(), Is.Not.Empty);
            Assert.That(example.GetProperty("requestId").GetString(), Is.Not.Empty);
        });
    }

    [TestCase("ProblemDetails")]
    [TestCase("ValidationProblemDetails")]
    public void ProblemSchema_Always_CarriesNoExampleOfOneStatus(string name)
    {
        // An example on the shared schema shows under every response that uses it, whatever its status.
        Assert.That(Schema(name).TryGetProperty("example", out _), Is.False);
    }

    [Test]
    public void AskStreamOperation_Success_IsAnEventStreamWhoseEventsHaveSchemas()
    {
        var success = Operations().Single(o => o.Path == "/api/ask/stream").Operation.GetProperty("responses").GetProperty("200");
        var events = success.GetProperty("x-events").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetString()!);

        Assert.Multiple(() =>
        {
            Assert.That(string.Join(',', success.GetProperty("content").EnumerateObject().Select(c => c.Name)), Is.EqualTo("text/event-stream"));
            Assert.That(success.GetProperty("content").GetProperty("text/event-stream").GetProperty("example").GetString(), Does.StartWith("event: plan\ndata: {"));
            Assert.That(events.Keys, Is.EqualTo(StreamEvents));
            foreach (var (name, schema) in events)
            {
                Assert.That(success.GetProperty("description").GetString(), Does.Contain($"`{name}`: `{schema}`"));
                Assert.That(Schema(schema).GetProperty("required").EnumerateArray().Select(r => r.GetString()),
                    Is.EquivalentTo(Schema(schema).GetProperty("properties").EnumerateObject().Select(p => p.Name)), schema);
            }
        });
    }

    [Test]
    public void ReadinessOperation_ReadyAndNotReady_AreReadinessResponses()
    {
        var responses = Operations().Single(o => o.Path == "/healthz/ready").Operation.GetProperty("responses");

        Assert.Multiple(() =>
        {
            Assert.That(string.Join(',', responses.EnumerateObject().Select(r => r.Name)), Is.EqualTo("200,503"));
            foreach (var (status, response) in responses.EnumerateObject().Select(r => (r.Name, r.Value)))
            {
                Assert.That(response.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString(),
                    Is.EqualTo("#/components/schemas/ReadinessResponse"), status);
            }

            Assert.That(Schema("ReadinessResponse").GetProperty("properties").GetProperty("checks").GetProperty("additionalProperties").GetProperty("$ref").GetString(),
                Is.EqualTo("#/components/schemas/ReadinessCheck"));
        });
    }

    [Test]
    public void MetricsOperation_Success_IsPrometheusTextAnd401OnlyWithMetricsRequireKey()
    {
        var responses = Operations().Single(o => o.Path == "/metrics").Operation.GetProperty("responses");

        Assert.Multiple(() =>
        {
            Assert.That(string.Join(',', responses.GetProperty("200").GetProperty("content").EnumerateObject().Select(c => c.Name)), Is.EqualTo("text/plain"));
            Assert.That(responses.GetProperty("401").GetProperty("description").GetString(), Does.Contain("METRICS_REQUIRE_KEY"));
            Assert.That(responses.GetProperty("401").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString(),
                Is.EqualTo("#/components/schemas/ProblemDetails"));
        });
    }

    [Test]
    public async Task ReadinessSchema_ServedReadiness_HasEveryRequiredProperty()
    {
        using var response = await Host.Client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        var served = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            foreach (var name in Schema("ReadinessResponse").GetProperty("required").EnumerateArray().Select(r => r.GetString()!))
            {
                Assert.That(served.TryGetProperty(name, out _), Is.True, name);
            }

            foreach (var check in served.GetProperty("checks").EnumerateObject())
            {
                foreach (var name in Schema("ReadinessCheck").GetProperty("required").EnumerateArray().Select(r => r.GetString()!))
                {
                    Assert.That(check.Value.TryGetProperty(name, out _), Is.True, $"{check.Name}.{name}");
                }
            }
        });
    }

    [Test]
    public void EveryResponse_Always_DeclaresRequestIdHeader()
    {
        var responses = Operations().SelectMany(o => o.Operation.GetProperty("responses").EnumerateObject()).ToList();

        Assert.That(responses, Is.Not.Empty);
        Assert.That(responses.Where(r => !r.Value.GetProperty("headers").TryGetProperty("X-Request-ID", out _)).Select(r => r.Name), Is.Empty);
    }

    [Test]
    public void AskRequestSchema_Limits_MatchTheValidator()
    {
        var properties = Schema("AskRequest").GetProperty("properties");

        Assert.Multiple(() =>
        {
            Assert.That(string.Join(',', Schema("AskRequest").GetProperty("required").EnumerateArray().Select(r => r.GetString())), Is.EqualTo("query"));
            Assert.That(properties.GetProperty("query").GetProperty("maxLength").GetInt32(), Is.EqualTo(AskRequest.MaxQueryLength));
            Assert.That(properties.GetProperty("query").GetProperty("minLength").GetInt32(), Is.EqualTo(1));
            Assert.That(properties.GetProperty("context").GetProperty("maxLength").GetInt32(), Is.EqualTo(AskRequest.MaxContextLength));
            Assert.That(properties.GetProperty("context").GetProperty("nullable").GetBoolean(), Is.True);
            Assert.That(properties.GetProperty("query").TryGetProperty("example", out _), Is.True);
        });
    }

    [TestCase("AskResponse")]
    [TestCase("StepResponse")]
    [TestCase("UsageResponse")]
    [TestCase("HealthResponse")]
    [TestCase("ProviderHealth")]
    [TestCase("CacheHealthResponse")]
    [TestCase("ServiceDescription")]
    [TestCase("ReadinessResponse")]
    [TestCase("ReadinessCheck")]
    public void ResponseSchema_EveryProperty_IsRequired(string name)
    {
        var schema = Schema(name);

        Assert.That(schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()),
            Is.EquivalentTo(schema.GetProperty("properties").EnumerateObject().Select(p => p.Name)));
    }

    [Test]
    public void Document_Always_IsMachineIndependent()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_document.TryGetProperty("servers", out _), Is.False, "no server address baked in");
            Assert.That(_served, Does.Not.Contain(Host.BaseUrl.Authority));
            Assert.That(_document.GetProperty("info").GetProperty("title").GetString(), Is.EqualTo("AgentApi"));
        });
    }

    private IEnumerable<(string Path, string Method, JsonElement Operation)> Operations() =>
        _document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (path.Name, operation.Name, operation.Value)));

    private JsonElement Schema(string name) => _document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";
}
