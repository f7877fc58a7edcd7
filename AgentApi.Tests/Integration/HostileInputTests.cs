using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>
/// What issue 11 tried from outside, as an attacker would, each reproduced: connection floods, malformed
/// <c>Host</c> headers, forged log lines, secrets echoed in other forms, cache growth, hostile bodies.
/// The app runs in this process, so its open files are this process's.
/// </summary>
[TestFixture]
public sealed class HostileInputTests : HostedFixture
{
    private const int ConnectionCap = 50;

    private static readonly string[] Nosniff = ["nosniff"];
    private static readonly string[] AppOrigin = ["https://app.example.com"];

    public static readonly string[] MalformedHosts = ["", new string('a', 300), "x:99999", "a..b"];

    /// <summary>An empty Host is let through when ALLOWED_HOSTS is unset: HTTP/1.0 probes send none.</summary>
    public static readonly string[] NonEmptyMalformedHosts = [.. MalformedHosts.Where(h => h.Length > 0)];

    public static readonly string[] Paths = ["/", "/healthz", "/healthz/cache", "/healthz/ready", "/metrics", "/openapi/v1.json", "/docs", "/docs/index.html", "/nowhere"];

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["MAX_CONNECTIONS"] = ConnectionCap.ToString(CultureInfo.InvariantCulture);
    }

    private long _heapBefore;
    private int _filesBefore;

    [OneTimeSetUp]
    public void MeasureBeforeTheSuite()
    {
        _heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        _filesBefore = OpenFiles();
    }

    /// <summary>
    /// Runs after every test of the suite, before the app stops: it must still answer, and the suite must not have
    /// grown the process (which also holds the other fixtures' leftovers, so growth is what is judged).
    /// </summary>
    [OneTimeTearDown]
    public async Task AfterTheSuite_ServiceIsUpAndMemoryBounded()
    {
        using var response = await Host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - _heapBefore;
        var filesGrowth = OpenFiles() - _filesBefore;
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"after the hostile suite: /healthz {(int)response.StatusCode}, managed heap grew {heapGrowth / 1024} KiB, open files grew {filesGrowth}, working set {process.WorkingSet64 / 1024 / 1024} MiB"));
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(heapGrowth, Is.LessThan(64L * 1024 * 1024), "the cache and the floods leave the managed heap bounded");
            Assert.That(filesGrowth, Is.LessThan(ConnectionCap), "no sockets left behind");
        });
    }

    [Test]
    public async Task IdleConnections_FloodPastTheCap_OpenFilesStayNearTheCapAndItAnswersWhenTheFloodEnds()
    {
        const int flood = 400;
        using (var warmUp = await Host.Client.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.That(warmUp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var baseline = OpenFiles();
        var sockets = new List<Socket>(flood);
        int serverSide;
        int closedByServer;
        try
        {
            for (var i = 0; i < flood; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, Host.BaseUrl.Port);
            }

            // The server accepts in the background: wait until its side settles.
            await Eventually.TrueAsync(() => OpenFiles() - baseline - flood <= ConnectionCap + 20, TimeSpan.FromSeconds(10));
            await Task.Delay(500);
            serverSide = OpenFiles() - baseline - flood;
            closedByServer = sockets.Count(s => s.Poll(0, SelectMode.SelectRead) && s.Available == 0);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }

        var sinceFloodEnded = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode? status = null;
        using var client = new HttpClient { BaseAddress = Host.BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
                status = response.StatusCode;
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10));
        var answeredAfter = sinceFloodEnded.Elapsed;

        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{flood} idle connections, cap {ConnectionCap}: server-side files {serverSide}, closed at once {closedByServer}, answered {answeredAfter.TotalMilliseconds:0} ms after the flood"));
        Assert.Multiple(() =>
        {
            Assert.That(serverSide, Is.LessThanOrEqualTo(ConnectionCap + 20), "open files beyond the flood's own sockets");
            Assert.That(closedByServer, Is.GreaterThanOrEqualTo(flood - ConnectionCap - 5), "connections past the cap are closed at once");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), "answers once the flood ends");
            Assert.That(answeredAfter, Is.LessThan(TimeSpan.FromSeconds(2)));
        });
    }

    [Test]
    public async Task AnyPath_MalformedHost_NeverAnswers500([ValueSource(nameof(MalformedHosts))] string host, [ValueSource(nameof(Paths))] string path)
    {
        var response = await RawHttp.SendAsync(Host.BaseUrl, $"GET {path} HTTP/1.1\r\nHost: {host}");

        Assert.That(response.Status, Is.LessThan(500), response.Body);
        if (response.Status >= 400)
        {
            Assert.That(response.Header("Content-Type"), Does.StartWith("application/problem+json"), response.Body);
        }
    }

    [Test]
    public async Task Ask_MalformedHost_NeverAnswers500([ValueSource(nameof(MalformedHosts))] string host)
    {
        var response = await RawHttp.SendAsync(Host.BaseUrl, $"POST /api/ask HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json", """{"query":"Hello"}""");

        Assert.That(response.Status, Is.LessThan(500), response.Body);
    }

    [Test]
    public async Task AnyPath_MalformedHost_Answers400ProblemWithRequestId([ValueSource(nameof(NonEmptyMalformedHosts))] string host)
    {
        var response = await RawHttp.SendAsync(Host.BaseUrl, $"GET /healthz HTTP/1.1\r\nHost: {host}\r\nX-Request-ID: bad-host-1");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(400));
            Assert.That(response.Body, Does.Contain("urn:agentapi:problem:bad-request").And.Contain("\"requestId\":\"bad-host-1\""));
        });
    }

    [Test]
    public async Task AllowedHosts_Set_OtherHostsAndNoHostAnswer400Problem()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["ALLOWED_HOSTS"] = "api.example.com;*.internal.example");

        var listed = await RawHttp.SendAsync(host.BaseUrl, "GET /healthz HTTP/1.1\r\nHost: api.example.com:8000");
        var subdomain = await RawHttp.SendAsync(host.BaseUrl, "GET /healthz HTTP/1.1\r\nHost: a.internal.example");
        var other = await RawHttp.SendAsync(host.BaseUrl, "GET /healthz HTTP/1.1\r\nHost: evil.example.net");
        var none = await RawHttp.SendAsync(host.BaseUrl, "GET /openapi/v1.json HTTP/1.0");

        Assert.Multiple(() =>
        {
            Assert.That(listed.Status, Is.EqualTo(200));
            Assert.That(subdomain.Status, Is.EqualTo(200));
            Assert.That(other.Status, Is.EqualTo(400));
            Assert.That(other.Header("Content-Type"), Does.StartWith("application/problem+json"));
            Assert.That(other.Body, Does.Contain("does not answer for"));
            Assert.That(none.Status, Is.EqualTo(400));
        });
    }

    [Test]
    public async Task AnyResponse_Always_HasNosniffAndNoServerHeader([Values("/healthz", "/nowhere", "/openapi/v1.json", "/metrics")] string path)
    {
        using var response = await Host.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.TryGetValues("X-Content-Type-Options", out var values) ? values : [], Is.EqualTo(Nosniff));
            Assert.That(response.Headers.Server, Is.Empty);
        });
    }

    [Test]
    public async Task Ask_ErrorAnswer_HasNosniff()
    {
        Host.OpenAI.Enqueue(Fakes.FakeOpenAIServer.ServerError(), Fakes.FakeOpenAIServer.ServerError(), Fakes.FakeOpenAIServer.ServerError());

        using var response = await Host.AskAsync(new { query = Queries.Unique("nosniff on errors") });

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(502));
            Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(Nosniff));
        });
    }

    [Test]
    public async Task Cors_NoOriginsConfigured_PreflightGetsNoAllowOrigin()
    {
        using var preflight = await Host.Client.SendAsync(Preflight("https://evil.example"));
        using var get = await Host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/healthz") { Headers = { { "Origin", "https://evil.example" } } });

        Assert.Multiple(() =>
        {
            Assert.That(preflight.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
            Assert.That(get.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        });
    }

    [Test]
    public async Task Cors_OriginsConfigured_OnlyThoseMayCall()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["CORS_ORIGINS"] = "https://app.example.com; http://localhost:5173");

        using var listed = await host.Client.SendAsync(Preflight("https://app.example.com"));
        using var other = await host.Client.SendAsync(Preflight("https://evil.example"));

        Assert.Multiple(() =>
        {
            Assert.That(listed.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(AppOrigin));
            Assert.That(other.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        });
    }

    [Test]
    public async Task Ask_ManyLargeUniqueAnswers_MemoryTierStaysUnderCacheMaxBytes()
    {
        const long maxBytes = 512 * 1024;
        const int asks = 120;
        await using var host = await AgentApiHost.StartAsync(settings => settings["CACHE_MAX_BYTES"] = maxBytes.ToString(CultureInfo.InvariantCulture));
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < asks; i++)
        {
            // The fake executor echoes the prompt: each answer is about 7,000 characters, stored twice (prompt and answer).
            using var response = await host.AskAsync(new { query = Queries.Unique($"Large {i} ") + new string('x', 7_000) });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        System.Text.Json.JsonElement health = default;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await host.Client.GetAsync(new Uri("/healthz/cache", UriKind.Relative));
            health = await AgentApiHost.JsonAsync(response);
            return health.GetProperty("bytes").GetInt64() <= maxBytes && health.GetProperty("evictions").GetInt64() + health.GetProperty("entries").GetInt64() >= asks;
        });
        var growth = GC.GetTotalMemory(forceFullCollection: true) - before;

        var entries = health.GetProperty("entries").GetInt64();
        var bytes = health.GetProperty("bytes").GetInt64();
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{asks} answers of ~14 KB, CACHE_MAX_BYTES {maxBytes}: {entries} kept, {bytes} bytes, {health.GetProperty("evictions").GetInt64()} evicted; managed heap grew {growth / 1024} KiB"));
        Assert.Multiple(() =>
        {
            Assert.That(health.GetProperty("maxBytes").GetInt64(), Is.EqualTo(maxBytes));
            Assert.That(bytes, Is.InRange(maxBytes / 4, maxBytes), "sized by serialized length, under the bound");
            Assert.That(entries, Is.LessThan(asks));
            Assert.That(bytes / entries, Is.GreaterThan(7_000), "an entry weighs its serialized answer");
            Assert.That(health.GetProperty("evictions").GetInt64(), Is.GreaterThan(0));
        });
    }

    [TestCase("\u200b\u200c\u200d\u2060\ufeff", TestName = "Ask_QueryOfOnlyZeroWidthCharacters_Answers400NamingTheField")]
    [TestCase("\u202e\u202d\u2066\u2069\u200f", TestName = "Ask_QueryOfOnlyBidiControls_Answers400NamingTheField")]
    [TestCase("\u0001\u001b\u007f\u0085", TestName = "Ask_QueryOfOnlyControlCharacters_Answers400NamingTheField")]
    [TestCase("\u3164\u2800\u00a0\u0301", TestName = "Ask_QueryOfOnlyBlankLettersAndMarks_Answers400NamingTheField")]
    public async Task Ask_QueryWithNoVisibleCharacter_Answers400(string query)
    {
        using var response = await Host.AskAsync(new { query });
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:validation"));
            Assert.That(body.GetProperty("errors").GetProperty("query")[0].GetString(), Does.Contain("visible character"));
            Assert.That(Host.Gemini.CallCount + Host.OpenAI.CallCount, Is.Zero, "nothing is billed");
        });
    }

    [Test]
    public async Task Ask_ContextOfOnlyZeroWidthCharacters_Answers400NamingTheField()
    {
        using var response = await Host.AskAsync(new { query = Queries.Unique("Visible"), context = "\u200b\u200b" });
        var body = await AgentApiHost.JsonAsync(response);

        Assert.That(body.GetProperty("errors").TryGetProperty("context", out _), Is.True, body.ToString());
    }

    [Test]
    public async Task Ask_VisibleTextAmongInvisibleCharacters_IsAnswered()
    {
        using var response = await Host.AskAsync(new { query = Queries.Unique("\u200b\u202e日本 🙂") });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("""{"query":"first","query":"second"}""", "query")]
    [TestCase("""{"query":"first","cache":true,"cache":false}""", "cache")]
    [TestCase("""{"query":"first","context":"a","context":"b"}""", "context")]
    public async Task Ask_DuplicateKey_Answers400NamingTheKey(string json, string key)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Host.Client.PostAsync(new Uri("/api/ask", UriKind.Relative), content);
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:validation"));
            Assert.That(body.GetProperty("errors").TryGetProperty(key, out var errors) ? errors[0].GetString() : body.ToString(), Does.Contain("more than once"));
            Assert.That(Host.OpenAI.CallCount, Is.Zero);
        });
    }

    [Test]
    public async Task Ask_MalformedChunkedBody_Answers400Problem()
    {
        var response = await RawHttp.SendRawAsync(Host.BaseUrl,
            "POST /api/ask HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(400));
            Assert.That(response.Header("Content-Type"), Does.StartWith("application/problem+json"));
            Assert.That(response.Body, Does.Contain("urn:agentapi:problem:bad-request").And.Contain("requestId"));
        });
    }

    [Test]
    public async Task Ask_BodySlowerThanTheMinimumRate_Answers408Problem()
    {
        // 10 of 5,000 bytes and nothing more: after the 5 s grace period the body is below 240 bytes/s.
        var response = await RawHttp.SendRawAsync(Host.BaseUrl,
            "POST /api/ask HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n{\"query\":\"", TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(408));
            Assert.That(response.Header("Content-Type"), Does.StartWith("application/problem+json"));
            Assert.That(response.Body, Does.Contain("urn:agentapi:problem:request-timeout"));
        });
    }

    [Test]
    public async Task AnyRequest_HeadersOverTheLimit_Answers431FromKestrelWithoutABody()
    {
        var response = await RawHttp.SendAsync(Host.BaseUrl, $"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: {new string('a', 40 * 1024)}");

        // Kestrel answers before the pipeline runs: docs/security.md lists this among the rejections without problem+json.
        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(431));
            Assert.That(response.Body, Is.Empty);
            Assert.That(response.Header("Server"), Is.Null);
        });
    }

    [Test]
    public async Task AnyRequest_MalformedRequestLine_Answers400FromKestrelAndTheServiceStaysUp()
    {
        var response = await RawHttp.SendAsync(Host.BaseUrl, "GET /healthz HTTP/1.1 extra\r\nHost: localhost");
        using var health = await Host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(400));
            Assert.That(response.Body, Is.Empty);
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    private static HttpRequestMessage Preflight(string origin) => new(HttpMethod.Options, "/api/ask")
    {
        Headers = { { "Origin", origin }, { "Access-Control-Request-Method", "POST" }, { "Access-Control-Request-Headers", "content-type" } },
    };

    private static int OpenFiles() => Directory.GetFileSystemEntries("/proc/self/fd").Length;
}
