using System.Net;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>What a newcomer is told when the set-up is wrong: every missing key at once, and which URL a provider refused.</summary>
[TestFixture]
public sealed class FirstRunDiagnosticsTests
{
    [Test]
    public async Task Ask_BothKeysMissing_ProblemNamesEveryVariableAtOnce()
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["GEMMA_API_KEY"] = null;
            settings["OPENAI_API_KEY"] = "";
        });

        using var response = await host.AskAsync(new { query = "Hello?" });
        var problem = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("GEMMA_API_KEY").And.Contain("OPENAI_API_KEY"));
            Assert.That(string.Join(',', problem.GetProperty("settings").EnumerateArray().Select(s => s.GetString())), Is.EqualTo("OPENAI_API_KEY,GEMMA_API_KEY"), "one variable per entry");
            Assert.That(problem.GetProperty("setting").GetString(), Is.EqualTo("OPENAI_API_KEY"), "one variable, of the role named");
            Assert.That(problem.GetProperty("role").GetString(), Is.EqualTo("executor"));
        });
    }

    [Test]
    public async Task Ask_ExecutorBaseUrlWithoutV1_LogNamesTheUrlCalledAndTheStatus()
    {
        string? withoutV1 = null;
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            withoutV1 = settings["OPENAI_BASE_URL"]!.TrimEnd('/')[..^"/v1".Length];
            settings["OPENAI_BASE_URL"] = withoutV1;
        });

        using var response = await host.AskAsync(new { query = "Where does this go?" });
        var logs = Callers.ReadLogs(host.LogDirectory, "agentapi.log");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(logs, Does.Contain($"at {withoutV1}/chat/completions: Rejected"), "the failure names the URL called");
            Assert.That(logs, Does.Contain("provider status 404"));
            Assert.That(logs, Does.Not.Contain(FakeOpenAIServer.DefaultApiKey));
        });
    }
}
