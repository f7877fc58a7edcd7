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
        await using var host = await AgentApiHost.StartAsync(settings => settings["LOG_LEVEL"] = "Information");
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
}
