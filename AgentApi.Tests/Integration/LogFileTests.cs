using System.Net;
using System.Text.Json;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentApi.Tests.Integration;

/// <summary>
/// Reads the files NLog really writes (async targets, flushed first) with everything logged,
/// HttpClient's header dumps included.
/// </summary>
[TestFixture]
public sealed class LogFileTests : HostedFixture
{
    // Ask started (Debug), provider attempt (Debug), retry, provider call, request summary.
    private static readonly int[] RequestEvents = [1000, 2000, 2002, 2003, 3005];

    protected override void Configure(Dictionary<string, string?> settings) => settings["LOG_LEVEL"] = "Trace";

    [Test]
    public async Task Ask_WithRetriedProviderCall_EveryLineOfTheRequestCarriesItsId()
    {
        var requestId = $"logs-{Guid.NewGuid():N}";
        Host.OpenAI.Enqueue(FakeResponse.Json(503, FakeOpenAIServer.ErrorBody("The engine is currently overloaded", "server_error", null)));

        using var response = await Host.AskAsync(new { query = $"Why is the sea salty? {requestId}" }, requestId);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var lines = ReadJsonLines();
        var first = lines.FindIndex(l => RequestIdOf(l) == requestId);
        var last = lines.FindLastIndex(l => RequestIdOf(l) == requestId);
        Assert.That(first, Is.GreaterThanOrEqualTo(0), "the request's lines are in the JSON file");
        var window = lines[first..(last + 1)];
        var events = window.Select(l => l.TryGetProperty("EventId", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt32() : 0).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(window.Where(l => RequestIdOf(l) != requestId).Select(l => l.ToString()), Is.Empty, "no line inside the request's span lacks its ID");
            Assert.That(events, Is.SupersetOf(RequestEvents), "ask started, attempts, retry, provider call, summary");
            Assert.That(window.Any(l => l.GetProperty("logger").GetString()!.StartsWith("System.Net.Http.HttpClient.", StringComparison.Ordinal)), Is.True,
                "HttpClient's own lines carry the ID too");
        });

        var summary = window.Single(l => l.TryGetProperty("EventId", out var id) && id.ValueKind == JsonValueKind.Number && id.GetInt32() == 3005);
        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("level").GetString(), Is.EqualTo("INFO"));
            Assert.That(summary.GetProperty("Method").GetString(), Is.EqualTo("POST"));
            Assert.That(summary.GetProperty("Path").GetString(), Is.EqualTo("/api/ask"));
            Assert.That(summary.GetProperty("StatusCode").GetInt32(), Is.EqualTo(200));
            Assert.That(summary.GetProperty("Route").GetString(), Is.EqualTo("general"));
            Assert.That(summary.GetProperty("Cache").GetString(), Is.EqualTo("miss"));
            Assert.That(summary.GetProperty("Fallback").GetBoolean(), Is.False);
            Assert.That(summary.GetProperty("OrchestratorInputTokens").GetInt32(), Is.GreaterThan(0));
            Assert.That(summary.GetProperty("ExecutorOutputTokens").GetInt32(), Is.GreaterThan(0));
            Assert.That(summary.GetProperty("ExecutorAttempts").GetInt32(), Is.EqualTo(2), "the retried call");
            Assert.That(summary.GetProperty("ChargedTokens").GetInt64(), Is.GreaterThan(0));
            Assert.That(summary.GetProperty("DurationMs").GetDouble(), Is.GreaterThan(0));
            Assert.That(DateTimeOffset.TryParse(summary.GetProperty("time").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _), Is.True);
        });
        Assert.That(File.ReadLines(Path.Combine(Host.LogDirectory, "agentapi.log")).Where(l => l.Contains($"[{requestId}]", StringComparison.Ordinal)), Is.Not.Empty,
            "the text file carries the ID as well");
    }

    [Test]
    public async Task Asks_AtTraceLevelWithKeysEchoedInErrors_NoKeyInEitherFile()
    {
        Host.OpenAI.Enqueue(FakeResponse.Json(401, FakeOpenAIServer.ErrorBody($"Incorrect API key provided: {FakeOpenAIServer.DefaultApiKey}.", "invalid_request_error", "invalid_api_key")));
        Host.Gemini.Enqueue(FakeResponse.Json(400, FakeGeminiServer.ErrorBody(400, "INVALID_ARGUMENT", $"API key not valid: {FakeGeminiServer.DefaultApiKey}")));
        using var rejected = await Host.AskAsync(new { query = $"Rejected {Guid.NewGuid():N}" });
        using var answered = await Host.AskAsync(new { query = $"Answered {Guid.NewGuid():N}" });
        Assert.That(answered.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        NLog.LogManager.Flush(TimeSpan.FromSeconds(10));
        var text = ReadShared("agentapi.log");
        var json = ReadShared("agentapi.json");
        Assert.Multiple(() =>
        {
            foreach (var (name, content) in new[] { ("agentapi.log", text), ("agentapi.json", json) })
            {
                Assert.That(content, Does.Not.Contain(FakeOpenAIServer.DefaultApiKey), name);
                Assert.That(content, Does.Not.Contain(FakeGeminiServer.DefaultApiKey), name);
                Assert.That(content, Does.Contain("Sending HTTP request POST"), $"{name}: HttpClient's lines are written at Trace");
            }
        });
    }

    [Test]
    public async Task Ask_LongQueryAtTrace_LoggedOnlyTruncated()
    {
        var query = $"Long {Guid.NewGuid():N} " + new string('z', 1_000);

        using var response = await Host.AskAsync(new { query });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        NLog.LogManager.Flush(TimeSpan.FromSeconds(10));
        var json = ReadShared("agentapi.json");
        Assert.Multiple(() =>
        {
            Assert.That(json, Does.Contain(query[..150]), "the query's start is logged at Debug");
            Assert.That(json, Does.Not.Contain(query[..250]), "but never more than 200 characters of it");
        });
    }

    [Test]
    public void JsonFile_EventWithSecretHeaderProperties_WritesNeitherValue()
    {
        // The shape of HttpClient's header dumps: a redacted message over raw header values.
        var logger = Host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentApi.Tests.HeaderDump");
        KeyValuePair<string, object?>[] headers = [new("Authorization", "Bearer sk-dump-secret"), new("x-goog-api-key", "AIza-dump-secret"), new("Accept", "application/json")];
        logger.Log(LogLevel.Warning, new EventId(102), headers, null, static (_, _) => "Request Headers: Authorization: *, x-goog-api-key: *");

        var line = ReadJsonLines().Last(l => l.GetProperty("logger").GetString() == "AgentApi.Tests.HeaderDump");

        Assert.Multiple(() =>
        {
            Assert.That(line.ToString(), Does.Not.Contain("dump-secret"));
            Assert.That(line.GetProperty("Accept").GetString(), Is.EqualTo("application/json"), "other properties are kept");
        });
    }

    private List<JsonElement> ReadJsonLines()
    {
        NLog.LogManager.Flush(TimeSpan.FromSeconds(10));
        return [.. ReadShared("agentapi.json").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        })];
    }

    private static string? RequestIdOf(JsonElement line) =>
        line.TryGetProperty("requestId", out var id) ? id.GetString() : null;

    /// <summary>Reads a log file that NLog keeps open for writing.</summary>
    private string ReadShared(string name)
    {
        using var stream = new FileStream(Path.Combine(Host.LogDirectory, name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
