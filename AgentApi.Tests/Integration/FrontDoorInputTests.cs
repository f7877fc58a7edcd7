using System.Net;
using System.Text.Json;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>
/// Issue 20's hostile bodies, each sent through every door (<c>/api/ask</c>, <c>/api/ask/stream</c>, <c>/v1/chat/completions</c>
/// buffered and streamed): one set of input rules, each door answering in its own error shape (problem+json with
/// <c>requestId</c> under <c>/api</c>, OpenAI's <c>{"error":{message,type,param,code}}</c> under <c>/v1</c>), and no provider
/// called for a body that is refused. Found on main: invalid UTF-8 was a 500 with a stack trace on <c>/v1</c>, duplicate
/// keys were taken (the last won) and invisible text was billed there, while <c>/api</c> refused all three.
/// </summary>
[TestFixture]
public sealed class FrontDoorInputTests : HostedFixture
{
    private static readonly string[] OpenAIErrorKeys = ["message", "type", "param", "code"];

    public static IEnumerable<Door> Doors => Door.All;

    [TestCaseSource(nameof(Doors))]
    public async Task AnyDoor_InvalidUtf8InTheQuestion_Answers400InItsShapeWithoutAnErrorLine(Door door)
    {
        var requestId = door.NewRequestId("utf8");
        byte[] question = [.. "\"Hello "u8, 0xC3, 0x28, 0xFF, 0xFE, .. " world\""u8];

        using var request = door.Request(door.Body(question), requestId);
        using var response = await Host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        var events = LogFiles.JsonEventsOf(Host.LogDirectory, requestId);
        var textLines = LogFiles.ReadFrom(Host.LogDirectory, LogFiles.Text).Split('\n').Where(l => l.Contains($"[{requestId}]", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
            Assert.That(Host.Gemini.CallCount + Host.OpenAI.CallCount, Is.Zero, "nothing is billed");
            Assert.That(events.Where(e => e.GetProperty("level").GetString() is "ERROR" or "FATAL").Select(Describe), Is.Empty,
                "a caller's bad bytes are not the service's error");
            Assert.That(events.Where(e => e.TryGetProperty("exception", out var exception) && exception.GetString() is { Length: > 0 }).Select(Describe), Is.Empty,
                "no stack trace is logged for a caller's bad bytes");
            Assert.That(textLines.Where(l => l.Contains(" ERROR [", StringComparison.Ordinal) || l.Contains(" FATAL [", StringComparison.Ordinal)).Select(l => l[..Math.Min(200, l.Length)]), Is.Empty,
                "nor an error line in the text file");
        });
        await AssertErrorAsync(door, response, HttpStatusCode.BadRequest, requestId);
    }

    [TestCaseSource(nameof(Doors))]
    public async Task AnyDoor_DuplicateKey_Answers400NamingTheField(Door door)
    {
        // /api: {"query":"…","query":"second"}; /v1: {"model":"agentapi",…,"model":"agentapi-direct"}. Both values are valid alone.
        var (field, duplicate) = door.IsOpenAI ? ("model", "\"model\":\"agentapi-direct\"") : ("query", "\"query\":\"second\"");
        var requestId = door.NewRequestId("duplicate");

        using var request = door.Request(door.Body(Queries.Unique("Which one wins?"), duplicate), requestId);
        using var response = await Host.Client.SendAsync(request);

        AssertRefusedAndNotBilled(response, HttpStatusCode.BadRequest);
        var body = await AssertErrorAsync(door, response, HttpStatusCode.BadRequest, requestId);
        Assert.That(NamedFields(door, body), Does.Contain(field), body.ToString());
    }

    [TestCaseSource(nameof(Doors))]
    public async Task AnyDoor_QuestionOfOnlyInvisibleCharacters_Answers400NamingItAndCallsNoProvider(Door door)
    {
        var requestId = door.NewRequestId("invisible");

        // A control, a zero-width space and a bidi override, then zero-width (non-)joiners unique to this test, so no
        // door answers it from the cache an earlier door filled.
        var invisible = "\u0001\u200b\u202e" + string.Concat(Guid.NewGuid().ToByteArray().Select(b => b % 2 == 0 ? '\u200c' : '\u200d'));
        using var request = door.Request(door.Body(invisible), requestId);
        using var response = await Host.Client.SendAsync(request);

        AssertRefusedAndNotBilled(response, HttpStatusCode.BadRequest);
        var body = await AssertErrorAsync(door, response, HttpStatusCode.BadRequest, requestId);
        Assert.That(NamedFields(door, body), Does.Contain(door.QuestionField), body.ToString());
    }

    [TestCaseSource(nameof(Doors))]
    public async Task AnyDoor_BodyOverOneMebibyte_Answers413InItsShape(Door door)
    {
        var requestId = door.NewRequestId("large");

        using var request = door.Request(door.Body(new string('a', 1_100_000)), requestId);

        // The 413 comes before the body is read: waiting for 100-continue keeps the client from writing 1 MiB into a
        // connection the server is closing (a broken pipe instead of the answer).
        request.Headers.ExpectContinue = true;
        using var response = await Host.Client.SendAsync(request);

        AssertRefusedAndNotBilled(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertErrorAsync(door, response, HttpStatusCode.RequestEntityTooLarge, requestId);
    }

    [TestCaseSource(nameof(Doors))]
    public async Task AnyDoor_UnknownTopLevelField_Answers400NamingIt(Door door)
    {
        var requestId = door.NewRequestId("unknown");

        using var request = door.Request(door.Body(Queries.Unique("Hello"), "\"colour\":\"blue\""), requestId);
        using var response = await Host.Client.SendAsync(request);

        AssertRefusedAndNotBilled(response, HttpStatusCode.BadRequest);
        var body = await AssertErrorAsync(door, response, HttpStatusCode.BadRequest, requestId);
        Assert.That(NamedFields(door, body), Does.Contain("colour"), body.ToString());
    }

    /// <summary>The status and that no provider was called, reported together.</summary>
    private void AssertRefusedAndNotBilled(HttpResponseMessage response, HttpStatusCode status) => Assert.Multiple(() =>
    {
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(Host.Gemini.CallCount + Host.OpenAI.CallCount, Is.Zero, "nothing is billed");
    });

    /// <summary>Asserts the door's error shape and status, and returns the body.</summary>
    private static async Task<JsonElement> AssertErrorAsync(Door door, HttpResponseMessage response, HttpStatusCode status, string requestId)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        using var document = JsonDocument.Parse(text);
        var body = document.RootElement.Clone();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.TryGetValues("X-Request-ID", out var ids) ? ids.Single() : null, Is.EqualTo(requestId));
            if (door.IsOpenAI)
            {
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
                var error = body.GetProperty("error");
                Assert.That(error.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(OpenAIErrorKeys), text);
                Assert.That(error.GetProperty("type").GetString(), Is.EqualTo("invalid_request_error"), text);
                Assert.That(error.GetProperty("message").GetString(), Is.Not.Empty, text);
            }
            else
            {
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
                Assert.That(body.GetProperty("type").GetString(), Does.StartWith("urn:agentapi:problem:"), text);
                Assert.That(body.GetProperty("status").GetInt32(), Is.EqualTo((int)status), text);
                Assert.That(body.GetProperty("requestId").GetString(), Is.EqualTo(requestId), text);
            }
        });

        return body;
    }

    /// <summary>A log event in short: level, message and the start of its exception.</summary>
    private static string Describe(JsonElement logEvent)
    {
        var exception = logEvent.TryGetProperty("exception", out var value) ? value.GetString() ?? "" : "";
        return $"{logEvent.GetProperty("level").GetString()} {logEvent.GetProperty("message").GetString()} {exception[..Math.Min(160, exception.Length)]}";
    }

    /// <summary>The fields an error names: <c>errors</c>' keys under <c>/api</c>, <c>error.param</c> under <c>/v1</c>.</summary>
    private static List<string> NamedFields(Door door, JsonElement body)
    {
        if (door.IsOpenAI)
        {
            return body.GetProperty("error").GetProperty("param") is { ValueKind: JsonValueKind.String } param ? [param.GetString()!] : [];
        }

        return body.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateObject().Select(p => p.Name)] : [];
    }
}
