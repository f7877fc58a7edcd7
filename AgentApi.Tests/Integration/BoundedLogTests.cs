using System.Globalization;
using System.Net;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>
/// Issue 20, finding 2 and the one line per ask, read from the files NLog really writes at Information. On main
/// <c>/v1</c> logged caller strings whole: a 500 KB <c>user</c> gave a 500,190-character line, and a 1,000,000-character
/// unknown field name did the same before admission, so about 75 requests rotated every archive away. Every
/// caller-controlled string is to be cut (200 characters) in any line at Information or above, so no line is longer
/// than <see cref="MaxLineLength"/> and no request writes more than <see cref="MaxGrowthPerRequest"/> of log, and an
/// answered ask writes one line at Information: the summary, naming both model calls.
/// </summary>
[TestFixture]
public sealed class BoundedLogTests : HostedFixture
{
    private const int MaxLineLength = 4096;
    private const long MaxGrowthPerRequest = 8 * 1024;

    public static IEnumerable<Door> Doors => Door.All;

    public static IEnumerable<Door> OpenAIDoors => Door.UnderV1;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["LOG_LEVEL"] = "Information";

        // A request can write megabytes on main: the files must not rotate under the offsets these tests read from.
        settings["LOG_MAX_FILE_MB"] = "1024";
    }

    [TestCaseSource(nameof(OpenAIDoors))]
    public async Task V1_500KbUserField_NoLogLineOver4096Characters(Door door)
    {
        using var request = door.Request(door.Body(Queries.Unique("Who am I?"), $"\"user\":\"{new string('u', 500_000)}\""));

        // Refused (an end-user id is at most 256 characters), and its refusal logged within bounds.
        await AssertLogBoundedAsync(request, HttpStatusCode.BadRequest);
    }

    [TestCaseSource(nameof(Doors))]
    public async Task AnyDoor_MillionCharacterUnknownFieldName_NoLogLineOver4096Characters(Door door)
    {
        using var request = door.Request(door.Body(Queries.Unique("Hello"), $"\"{new string('f', 1_000_000)}\":1"));

        await AssertLogBoundedAsync(request, HttpStatusCode.BadRequest);
    }

    [TestCaseSource(nameof(Doors))]
    public async Task AnyDoor_100KbQuestion_NoLogLineOver4096Characters(Door door)
    {
        using var request = door.Request(door.Body(Queries.Unique("Long") + new string('q', 100_000)));

        await AssertLogBoundedAsync(request, HttpStatusCode.BadRequest);
    }

    [TestCaseSource(nameof(Doors))]
    public async Task AnyDoor_12KbRequestIdAndUserAgent_NoLogLineOver4096Characters(Door door)
    {
        using var request = door.Request(door.Body(Queries.Unique("Long headers")));
        request.Headers.TryAddWithoutValidation("X-Request-ID", new string('r', 12_000));
        request.Headers.TryAddWithoutValidation("User-Agent", new string('a', 12_000));

        await AssertLogBoundedAsync(request, HttpStatusCode.OK);
    }

    [Test]
    public async Task UnknownPath_7000Characters_NoLogLineOver4096Characters()
    {
        // Every request's summary line names its path, which the caller chooses (up to Kestrel's 8 KiB request line).
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/nowhere/" + new string('p', 7_000), UriKind.Relative));

        await AssertLogBoundedAsync(request, HttpStatusCode.NotFound);
    }

    [TestCaseSource(nameof(Doors))]
    public async Task AnyDoor_AnsweredAtInformation_WritesOneInformationLineNamingBothModelCallsTokens(Door door)
    {
        // Figures no other number on the line is likely to match: each model call's own tokens in and out.
        const int orchestratorIn = 4021, orchestratorOut = 1077, executorIn = 1201, executorOut = 3301;
        var plan = Plans.Json("general", Queries.Unique("Say hello"));
        Host.Gemini.Enqueue(FakeResponse.Json(200, FakeGeminiServer.SuccessBody(plan, promptTokens: orchestratorIn, outputTokens: orchestratorOut)));
        Host.OpenAI.Enqueue(door.IsStreamed
            ? FakeResponse.EventStream(FakeOpenAIServer.StreamEvents("Hello there.", "stop", executorIn, "gpt-4o-mini-2024-07-18", includeUsage: true, completionTokens: executorOut), FakeStreaming.Normal)
            : FakeResponse.Json(200, FakeOpenAIServer.SuccessBody("Hello there.", promptTokens: executorIn, completionTokens: executorOut)));
        var requestId = door.NewRequestId("one-line");

        using var request = door.Request(door.Body(Queries.Unique("Say hello")), requestId);
        using var response = await Host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        await LogFiles.SettledAsync(Host.LogDirectory);

        var events = LogFiles.JsonEventsOf(Host.LogDirectory, requestId);
        var information = events.Where(e => e.GetProperty("level").GetString() == "INFO").Select(e => e.GetProperty("message").GetString()!).ToList();
        var summary = string.Join(" | ", information);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(body, Does.Contain(door.IsStreamed ? door.StreamEnd : "Hello there."), "the ask was answered in full");
            Assert.That(information, Has.Count.EqualTo(1), "one line at Information per ask, the summary; per-call lines are Debug:\n" + string.Join('\n', information));
            Assert.That(summary, Does.Contain($"door {door.LogName}, "), "the summary names the door");
            Assert.That(events.Where(e => e.GetProperty("level").GetString() is "WARN" or "ERROR" or "FATAL").Select(e => e.ToString()), Is.Empty);
            foreach (var (figure, what) in new[] { (orchestratorIn, "orchestrator in"), (orchestratorOut, "orchestrator out"), (executorIn, "executor in"), (executorOut, "executor out") })
            {
                Assert.That(summary, Does.Match($@"\b{figure.ToString(CultureInfo.InvariantCulture)}\b"), $"the summary names the {what} tokens ({figure})");
            }
        });
    }

    /// <summary>
    /// Sends <paramref name="request"/>, reads its whole answer, and asserts that what both log files gained meanwhile
    /// has no line over <see cref="MaxLineLength"/> characters and is under <see cref="MaxGrowthPerRequest"/> bytes.
    /// </summary>
    private async Task AssertLogBoundedAsync(HttpRequestMessage request, HttpStatusCode expected)
    {
        await LogFiles.SettledAsync(Host.LogDirectory);
        var textBefore = LogFiles.Size(Host.LogDirectory, LogFiles.Text);
        var jsonBefore = LogFiles.Size(Host.LogDirectory, LogFiles.Json);

        using var response = await Host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var requestId = response.Headers.GetValues("X-Request-ID").Single();
        await LogFiles.SettledAsync(Host.LogDirectory);

        var text = LogFiles.ReadFrom(Host.LogDirectory, LogFiles.Text, textBefore);
        var json = LogFiles.ReadFrom(Host.LogDirectory, LogFiles.Json, jsonBefore);
        var growth = LogFiles.Size(Host.LogDirectory, LogFiles.Text) - textBefore + LogFiles.Size(Host.LogDirectory, LogFiles.Json) - jsonBefore;
        var tooLong = text.Split('\n').Concat(json.Split('\n'))
            .Where(line => line.Length > MaxLineLength)
            .Select(line => string.Create(CultureInfo.InvariantCulture, $"{line.Length:N0} characters: {line[..300]}…"))
            .ToList();
        var target = request.RequestUri!.OriginalString;
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{request.Method} {target[..Math.Min(60, target.Length)]}: answered {(int)response.StatusCode}, the logs grew {growth:N0} bytes, {tooLong.Count} line(s) over {MaxLineLength} characters"));
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(expected), body[..Math.Min(500, body.Length)]);
            Assert.That(text, Does.Contain($"[{requestId}]"), "the request was logged");
            Assert.That(tooLong, Is.Empty, "caller-controlled strings are cut in every line at Information");
            Assert.That(growth, Is.LessThan(MaxGrowthPerRequest), "bytes both log files grew by for one request");
        });
    }
}
