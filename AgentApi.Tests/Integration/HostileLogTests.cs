using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentApi.Tests.Integration;

/// <summary>
/// Issue 11's forged log lines and leaked keys, reproduced against the files NLog really writes at Debug:
/// user text and provider error bodies cannot start a line of their own, and no secret reaches a file in
/// any case or escaped form.
/// </summary>
[TestFixture]
public sealed partial class HostileLogTests : HostedFixture
{
    private const string Forged = "2026-11-28 08:00:00.0000Z ERROR [abc] AskService: forged line";
    private const string RedisPassword = "Redis-Pa55word-Secret";

    private static readonly Action<ILogger, string, Exception?> LogFailure =
        LoggerMessage.Define<string>(LogLevel.Error, new EventId(9901), "Something failed {Marker}");

    private static readonly Action<ILogger, string, Exception?> LogConnectionString =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(9902), "Connection string {ConnectionString} (redis-marker)");

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["LOG_LEVEL"] = "Debug";
        // Nothing listens on port 1: the cache runs from memory, and the password is a configured secret.
        settings["REDIS_URL"] = $"redis://:{RedisPassword}@127.0.0.1:1";
    }

    [Test]
    public async Task Ask_QueryWithNewlineAndAnsiAtDebug_CannotForgeALineOrReachTheTerminal()
    {
        var query = Queries.Unique("Hello") + "\n" + Forged + " \u001b[31mred\u001b[0m \u202egnp.exe";

        using var response = await Host.AskAsync(new { query });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var text = ReadShared("agentapi.log");
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain(@"\n" + Forged), "the query is logged at Debug, escaped");
            AssertEveryLineIsAnEvent(text);
            Assert.That(text.IndexOfAny(['\u001b', '\u202e', '\r']), Is.EqualTo(-1), "no raw ESC, bidi override or CR");
            Assert.That(text, Does.Contain(@"\u001b[31m"));
            AssertJsonLines(ReadShared("agentapi.json"));
        });
    }

    [Test]
    public async Task Ask_ProviderErrorBodyWithCrLf_CannotForgeALine()
    {
        Host.OpenAI.Enqueue(FakeResponse.Raw(400, "text/plain", "Bad request\r\n" + Forged + "\r\n"));

        using var response = await Host.AskAsync(new { query = Queries.Unique("CRLF in the provider's error") });

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        var text = ReadShared("agentapi.log");
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain(@"Bad request\r\n" + Forged));
            AssertEveryLineIsAnEvent(text);
            AssertJsonLines(ReadShared("agentapi.json"));
        });
    }

    [Test]
    public async Task AnyRequest_PathWithEncodedCrLf_CannotForgeALine()
    {
        // Every request's summary line logs the path at Information; it is logged as sent, still percent-encoded.
        using var response = await Host.Client.GetAsync(new Uri("/nowhere%0D%0A" + Uri.EscapeDataString(Forged), UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var text = string.Empty;

        // The summary line is written as the request ends, just after the response.
        await Eventually.TrueAsync(() => (text = ReadShared("agentapi.log")).Contains("/nowhere", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("/nowhere%0D%0A2026-11-28"));
            AssertEveryLineIsAnEvent(text);
        });
    }

    [Test]
    public void AnyLogger_ExceptionWithMultilineMessage_StackTraceStaysOnTheEventsLine()
    {
        var logger = Host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentApi.Tests.Hostile");
        try
        {
            throw new InvalidOperationException("boom\r\n" + Forged);
        }
        catch (InvalidOperationException exception)
        {
            LogFailure(logger, "stack-marker", exception);
        }

        var text = ReadShared("agentapi.log");
        var line = text.Split('\n').Single(l => l.Contains("stack-marker", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(line, Does.Contain(@"boom\r\n" + Forged).And.Contain(nameof(AnyLogger_ExceptionWithMultilineMessage_StackTraceStaysOnTheEventsLine)),
                "message and stack trace, escaped, on the event's line");
            AssertEveryLineIsAnEvent(text);
            AssertJsonLines(ReadShared("agentapi.json"));
        });
    }

    [TestCase("lower case", "TEST-OPENAI-KEY")]
    [TestCase("JSON-escaped", @"test\u002dopenai\u002Dkey")]
    [TestCase("every character escaped", @"\u0074\u0065\u0073\u0074\u002d\u006f\u0070\u0065\u006e\u0061\u0069\u002d\u006b\u0065\u0079")]
    [TestCase("percent-encoded", "test%2Dopenai%2dkey")]
    [TestCase("the other provider's key", "Test-Gemini-Key")]
    public async Task Ask_ProviderErrorEchoesAKey_NoFormOfAnyKeyIsLogged(string form, string echoed)
    {
        // Plain text, so nothing decodes the escapes before the log; the executor is rejected (401).
        Host.OpenAI.Enqueue(FakeResponse.Raw(401, "text/plain", $"Incorrect API key provided: {echoed} ({form})"));

        using var response = await Host.AskAsync(new { query = Queries.Unique("Echo my key") });

        Assert.That((int)response.StatusCode, Is.EqualTo(502));
        AssertNoSecretInEitherFile($"({form})");
    }

    [Test]
    public void AnyLogger_RedisPasswordInAValueOrProperty_IsRedacted()
    {
        var logger = Host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentApi.Tests.Hostile");

        LogConnectionString(logger, $"127.0.0.1:1,password={RedisPassword.ToLowerInvariant()}", null);

        AssertNoSecretInEitherFile("redis-marker");
    }

    private void AssertNoSecretInEitherFile(string marker)
    {
        foreach (var name in new[] { "agentapi.log", "agentapi.json" })
        {
            var content = ReadShared(name);
            Assert.That(content, Does.Contain(marker), $"{name}: the line was logged");
            foreach (var secret in new[] { FakeOpenAIServer.DefaultApiKey, FakeGeminiServer.DefaultApiKey, RedisPassword })
            {
                var decoded = Regex.Unescape(content.Replace("%2D", "-", StringComparison.OrdinalIgnoreCase).Replace("%2d", "-", StringComparison.Ordinal));
                Assert.That(decoded, Does.Not.Contain(secret).IgnoreCase, $"{name} holds {secret} in some form");
            }
        }
    }

    private static void AssertEveryLineIsAnEvent(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Where(l => !EventLine().IsMatch(l)), Is.Empty, "every line starts an event: time, level, request id");
        Assert.That(lines.Where(l => l.StartsWith(Forged, StringComparison.Ordinal)), Is.Empty);
    }

    private static void AssertJsonLines(string json)
    {
        foreach (var line in json.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.That(() => JsonDocument.Parse(line).Dispose(), Throws.Nothing, line);
        }

        Assert.That(json.IndexOfAny(['\u001b', '\u202e', '\r']), Is.EqualTo(-1), "no raw ESC, bidi override or CR");
    }

    private string ReadShared(string name)
    {
        NLog.LogManager.Flush(TimeSpan.FromSeconds(10));
        using var stream = new FileStream(Path.Combine(Host.LogDirectory, name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{4}Z (TRACE|DEBUG|INFO |WARN |ERROR|FATAL) \[[^\]]*\] ")]
    private static partial Regex EventLine();
}
