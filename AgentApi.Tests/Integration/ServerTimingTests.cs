using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

[TestFixture]
public sealed partial class ServerTimingTests : HostedFixture
{

    [Test]
    public async Task Ask_Produced_ReportsOrchestratorExecutorAndTotal()
    {
        using var response = await Host.AskAsync(new { query = $"Timing {Guid.NewGuid():N}" }, "timing-1");

        var timing = ServerTimingOf(response);
        var match = ProducedTiming().Match(timing);
        Assert.That(match.Success, Is.True, timing);
        var orchestrator = double.Parse(match.Groups["orchestrator"].Value, CultureInfo.InvariantCulture);
        var executor = double.Parse(match.Groups["executor"].Value, CultureInfo.InvariantCulture);
        var total = double.Parse(match.Groups["total"].Value, CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(total, Is.GreaterThanOrEqualTo(orchestrator + executor - 0.2), "the steps run inside the request");
            Assert.That(response.Headers.GetValues("X-Request-ID").Single(), Is.EqualTo("timing-1"));
        });
    }

    [Test]
    public async Task Stream_Produced_SaysItMeasuresTheTimeUntilTheFirstTextNotTheTotal()
    {
        // The executor takes 300 ms to start its answer and then streams for a while after the headers left.
        Host.OpenAI.Enqueue(FakeResponse.Delayed(TimeSpan.FromMilliseconds(300), FakeResponse.Default));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ask/stream")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { query = $"Timing stream {Guid.NewGuid():N}" }),
        };

        using var response = await Host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var timing = ServerTimingOf(response);
        await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(timing, Does.Match(@"^orchestrator;dur=\d+\.\d, first-text;desc=""until the first text"";dur=\d+\.\d$"));
            Assert.That(timing, Does.Not.Contain("total"), "the header leaves with the first text; the stream's total is in the done event and the log");
            var firstText = double.Parse(Regex.Match(timing, @"first-text;[^;]*;dur=(?<ms>[\d.]+)").Groups["ms"].Value, CultureInfo.InvariantCulture);
            Assert.That(firstText, Is.GreaterThanOrEqualTo(300), "it includes the executor's wait for its first text");
        });
    }

    [Test]
    public async Task Ask_Cached_ReportsCacheHitAndTotalOnly()
    {
        var query = $"Timing cached {Guid.NewGuid():N}";
        (await Host.AskAsync(new { query })).Dispose();

        using var response = await Host.AskAsync(new { query });

        Assert.That(ServerTimingOf(response), Does.Match(@"^cache;desc=hit, total;dur=\d+\.\d$"));
    }

    [Test]
    public async Task Ask_Fallback_MarksTheOrchestratorStep()
    {
        Host.Gemini.Reply = _ => "Prose instead of a plan.";

        using var response = await Host.AskAsync(new { query = $"Timing fallback {Guid.NewGuid():N}" });

        Assert.That(ServerTimingOf(response), Does.Match(@"^orchestrator;desc=fallback;dur=\d+\.\d, executor;dur=\d+\.\d, total;dur=\d+\.\d$"));
    }

    [Test]
    public async Task Ask_ProviderError_ReportsTotalWithTheProblem()
    {
        Host.OpenAI.Enqueue(FakeResponse.Json(401, FakeOpenAIServer.ErrorBody("Incorrect API key provided.", "invalid_request_error", "invalid_api_key")));

        using var response = await Host.AskAsync(new { query = $"Timing error {Guid.NewGuid():N}" }, "timing-err");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(ServerTimingOf(response), Does.Match(@"^total;dur=\d+\.\d$"));
            Assert.That(response.Headers.GetValues("X-Request-ID").Single(), Is.EqualTo("timing-err"));
        });
    }

    private static string ServerTimingOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Server-Timing", out var values) ? string.Join(", ", values) : "";

    [GeneratedRegex(@"^orchestrator;dur=(?<orchestrator>\d+\.\d), executor;dur=(?<executor>\d+\.\d), total;dur=(?<total>\d+\.\d)$")]
    private static partial Regex ProducedTiming();
}
