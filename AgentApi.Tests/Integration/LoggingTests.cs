using System.Net;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

[TestFixture]
public sealed class LoggingTests
{
    [Test]
    public async Task Ask_LinesWrittenDuringTheRequest_AllCarryItsRequestId()
    {
        // Debug: the per-call lines are there (at Information an ask writes its summary line only).
        await using var host = await AgentApiHost.StartAsync(settings => settings["LOG_LEVEL"] = "Debug");
        const string requestId = "log-scope-check-1";

        using var response = await host.AskAsync(new { query = $"Why is the sea salty? {Guid.NewGuid():N}" }, requestId);
        NLog.LogManager.Flush();
        var lines = File.ReadAllLines(Path.Combine(host.LogDirectory, "agentapi.log"));

        var providerLines = lines.Where(l => l.Contains("Provider call", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(providerLines, Has.Count.EqualTo(2), "one line per provider call");
            Assert.That(providerLines, Has.All.Contain($"[{requestId}]"));
            Assert.That(lines.Where(l => l.Contains("Orchestrator chose route", StringComparison.Ordinal)), Has.All.Contain($"[{requestId}]"));
            Assert.That(string.Join('\n', lines), Does.Not.Contain(FakeOpenAIServer.DefaultApiKey).And.Not.Contain(FakeGeminiServer.DefaultApiKey));
        });
    }

    [Test]
    public async Task Ask_CallerDisconnects_LogsInformationAndNoError()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["LOG_LEVEL"] = "Information");
        host.OpenAI.Enqueue(FakeResponse.Hang());
        const string requestId = "log-cancel-check-1";
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Assert.CatchAsync<OperationCanceledException>(() => host.AskAsync(new { query = "hold on" }, requestId, cancel.Token));
        var deadline = DateTime.UtcNow.AddSeconds(3);
        string[] lines = [];
        while (DateTime.UtcNow < deadline && !lines.Any(l => l.Contains("answered 499", StringComparison.Ordinal)))
        {
            await Task.Delay(50);
            NLog.LogManager.Flush();
            lines = File.ReadAllLines(Path.Combine(host.LogDirectory, "agentapi.log"));
        }

        var requestLines = lines.Where(l => l.Contains($"[{requestId}]", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(requestLines, Has.Some.Contain("INFO").And.Contain("answered 499"));
            Assert.That(requestLines, Has.None.Contain("ERROR"));
            Assert.That(requestLines, Has.None.Contain("WARN"));
        });
    }

    [Test]
    public async Task Ask_CacheHit_SummarySaysNoTokensWereSpent()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["LOG_LEVEL"] = "Information");
        var query = $"Why is the sky blue? {Guid.NewGuid():N}";

        (await host.AskAsync(new { query }, "log-cache-miss-1")).Dispose();
        (await host.AskAsync(new { query }, "log-cache-hit-1")).Dispose();
        NLog.LogManager.Flush();
        var lines = File.ReadAllLines(Path.Combine(host.LogDirectory, "agentapi.log"));

        var miss = lines.Single(l => l.Contains("[log-cache-miss-1]", StringComparison.Ordinal) && l.Contains("answered 200", StringComparison.Ordinal));
        var hit = lines.Single(l => l.Contains("[log-cache-hit-1]", StringComparison.Ordinal) && l.Contains("answered 200", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(miss, Does.Contain("cache miss").And.Contain("(as the providers reported)"));
            Assert.That(miss, Does.Not.Contain("charged 0 tokens"));
            Assert.That(hit, Does.Contain("cache hit").And.Contain("charged 0 tokens (nothing spent)"));
        });
    }

    [Test]
    public async Task ChatCompletion_ToolCall_SummaryNamesTheToolAndArgumentsStayAtDebug()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["LOG_LEVEL"] = "Information");
        host.OpenAI.ToolArguments = _ => """{"secret_city":"Atlantis"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(
                $$$"""{"model":"agentapi","messages":[{"role":"user","content":"Where? {{{Guid.NewGuid():N}}}"}],"tools":[{"type":"function","function":{"name":"find_city"}}]}""",
                System.Text.Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Add("X-Request-ID", "log-tool-call-1");

        (await host.Client.SendAsync(request)).Dispose();
        NLog.LogManager.Flush();
        var lines = File.ReadAllLines(Path.Combine(host.LogDirectory, "agentapi.log")).Where(l => l.Contains("[log-tool-call-1]", StringComparison.Ordinal)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(lines.Single(l => l.Contains("answered 200", StringComparison.Ordinal)), Does.Contain("finish tool_calls, tools called find_city"));
            Assert.That(lines, Has.None.Contain("Atlantis"), "tool arguments are user data: Debug only");
        });
    }
}
