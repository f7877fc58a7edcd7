using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>Caller keys from the list and from a hashed file, in either header; everything else gets one 401.</summary>
[TestFixture]
public sealed class CallerKeyTests : HostedFixture
{
    private const string FileKey = "file-caller-key-charlie-77aa66bb55";
    private string _keysFile = null!;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        _keysFile = Path.Combine(Path.GetTempPath(), $"agentapi-keys-{Guid.NewGuid():N}");
        File.WriteAllLines(_keysFile, ["# named callers", Callers.FileLine("reporting", FileKey), ""]);
        settings["AGENTAPI_API_KEYS"] = Callers.KeyA + ", " + Callers.KeyB;
        settings["AGENTAPI_API_KEYS_FILE"] = _keysFile;
        settings["LOG_LEVEL"] = "Trace";
    }

    [OneTimeTearDown]
    public void DeleteKeysFile() => File.Delete(_keysFile);

    private static IEnumerable<TestCaseData> Failures()
    {
        yield return new TestCaseData(null, null).SetName("Ask_NoKey_Answers401");
        yield return new TestCaseData("Bearer not-a-configured-key-000000", null).SetName("Ask_WrongBearerKey_Answers401");
        yield return new TestCaseData(null, "not-a-configured-key-000000").SetName("Ask_WrongXApiKey_Answers401");
        yield return new TestCaseData("Basic " + Callers.KeyA, null).SetName("Ask_KeyInBasicScheme_Answers401");
        yield return new TestCaseData("Bearer", null).SetName("Ask_BearerWithoutToken_Answers401");
        yield return new TestCaseData(null, "").SetName("Ask_EmptyXApiKey_Answers401");
        yield return new TestCaseData("Bearer " + new string('k', 5000), null).SetName("Ask_OversizedBearerKey_Answers401");
    }

    [TestCaseSource(nameof(Failures))]
    public async Task Ask_InvalidKey_Answers401ProblemWithWwwAuthenticateBearer(string? authorization, string? apiKey)
    {
        using var response = await SendAsync(authorization, apiKey);
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:unauthorized"));
            Assert.That(body.GetProperty("requestId").GetString(), Is.EqualTo(response.Headers.GetValues("X-Request-ID").Single()));
            Assert.That(Host.Gemini.CallCount + Host.OpenAI.CallCount, Is.Zero);
        });
    }

    [Test]
    public async Task Ask_EveryKeyFailure_AnswersTheSameBody()
    {
        var bodies = new HashSet<string>();
        foreach (var data in Failures())
        {
            using var response = await SendAsync((string?)data.Arguments[0], (string?)data.Arguments[1]);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            body.Remove("requestId");
            body.Remove("traceId");
            bodies.Add(body.ToJsonString());
        }

        Assert.That(bodies, Has.Count.EqualTo(1), string.Join("\n", bodies));
    }

    [TestCase(Callers.KeyA, true)]
    [TestCase(Callers.KeyB, false)]
    [TestCase(FileKey, true)]
    [TestCase(FileKey, false)]
    public async Task Ask_ConfiguredKey_Answers200(string key, bool asBearer)
    {
        using var response = await SendAsync(asBearer ? "Bearer " + key : null, asBearer ? null : key);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task GetRoutes_NoKey_Answers401LikeTheAsks()
    {
        using var response = await Host.Client.GetAsync(new Uri("/api/routes", UriKind.Relative));
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:unauthorized"));
        });
    }

    [TestCase(Callers.KeyA, true)]
    [TestCase(FileKey, false)]
    public async Task GetRoutes_ConfiguredKey_Answers200(string key, bool asBearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/routes");
        if (asBearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        else
        {
            request.Headers.Add("X-API-Key", key);
        }

        using var response = await Host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("/")]
    [TestCase("/healthz")]
    [TestCase("/healthz/cache")]
    [TestCase("/healthz/ready")]
    [TestCase("/docs")]
    [TestCase("/openapi/v1.json")]
    [TestCase("/metrics")]
    public async Task Get_OpenPathWithoutKey_Answers200(string path)
    {
        using var response = await Host.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Ask_SameQuestionSameCaller_IsAnsweredFromItsCache()
    {
        var query = Queries.Unique("Shared within one caller");
        using var first = await Host.AskWithKeyAsync(new { query }, FileKey);
        using var second = await Host.AskWithKeyAsync(new { query }, null, apiKey: FileKey);

        Assert.That((await AgentApiHost.JsonAsync(second)).GetProperty("cached").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Ask_WithAndWithoutValidKeys_NoKeyInAnyLogLineOrMetric()
    {
        var query = Queries.Unique("Where do keys end up?");
        using (await Host.AskWithKeyAsync(new { query }, Callers.KeyA))
        using (await Host.AskWithKeyAsync(new { query }, null, apiKey: FileKey))
        using (await SendAsync("Bearer " + Callers.KeyA + "x", null))
        using (await SendAsync(null, "wrong-" + Callers.KeyB))
        {
        }

        var scrape = await PrometheusScrape.ScrapeAsync(Host.Client);
        var logs = Callers.ReadLogs(Host.LogDirectory);

        Assert.Multiple(() =>
        {
            foreach (var key in new[] { Callers.KeyA, Callers.KeyB, FileKey })
            {
                Assert.That(logs, Does.Not.Contain(key), "log files");
                Assert.That(scrape.Text, Does.Not.Contain(key), "/metrics");
            }

            Assert.That(logs, Does.Contain("caller " + Callers.NameOf(Callers.KeyA)), "the summary line names the caller by a short hash");
            Assert.That(logs, Does.Contain("caller reporting"), "and a named caller by its name");
            Assert.That(scrape.Sum("agentapi_caller_tokens_total", ("caller", Callers.NameOf(Callers.KeyA))), Is.GreaterThan(0), "tokens are counted by caller name");
        });
    }

    private async Task<HttpResponseMessage> SendAsync(string? authorization, string? apiKey)
    {
        using var request = Callers.Ask(new { query = Queries.Unique("Who am I?") }, apiKey: apiKey);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await Host.Client.SendAsync(request);
    }
}
