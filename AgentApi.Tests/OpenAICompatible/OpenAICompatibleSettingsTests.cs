using System.Text.Json;
using AgentApi.Tests.Support;
using Microsoft.Extensions.AI;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;

namespace AgentApi.Tests.OpenAICompatible;

/// <summary>The /v1 model ids and the history budgets, set through their environment variables.</summary>
[TestFixture]
public sealed class OpenAICompatibleSettingsTests
{
    private static readonly string[] CustomIds = ["team-assistant", "team-assistant-fast"];

    [Test]
    public async Task GetModels_IdsSet_ListsAndServesThem()
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["V1_MODEL"] = "team-assistant";
            settings["V1_DIRECT_MODEL"] = "team-assistant-fast";
        });

        var models = await OpenAISdk.Models(host).GetModelsAsync();
        var answer = await OpenAISdk.Chat(host, "team-assistant-fast").AsIChatClient().GetResponseAsync(Queries.Unique("hi"));

        Assert.Multiple(() =>
        {
            Assert.That(models.Value.Select(model => model.Id), Is.EqualTo(CustomIds));
            Assert.That(answer.Text, Does.StartWith("echo: hi"));
            Assert.That(host.Gemini.CallCount, Is.Zero);
        });
    }

    [TestCase("V1_MODEL", "agentapi-direct")]
    [TestCase("V1_DIRECT_MODEL", "has spaces")]
    [TestCase("ORCHESTRATOR_HISTORY_CHARS", "-1")]
    [TestCase("EXECUTOR_HISTORY_CHARS", "1000001")]
    public async Task Start_InvalidSetting_FailsNamingTheVariable(string variable, string value)
    {
        var exception = await AgentApiHost.StartupFailureAsync(settings => settings[variable] = value);

        Assert.That(exception.ToString(), Does.Contain(variable));
    }

    [Test]
    public async Task GetResponse_SmallOrchestratorBudget_OrchestratorSeesOnlyTheRecentEndAndTheExecutorAll()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["ORCHESTRATOR_HISTORY_CHARS"] = "20");
        var first = Queries.Unique("An early question the orchestrator will not see");
        List<AIChatMessage> messages =
        [
            new(AIChatRole.User, first),
            new(AIChatRole.Assistant, "A long answer whose end is what matters: use a set."),
            new(AIChatRole.User, "Why?"),
        ];

        await OpenAISdk.Chat(host).AsIChatClient().GetResponseAsync(messages);

        using var gemini = JsonDocument.Parse(host.Gemini.Requests.Single(r => r.Method == "POST").Body);
        var prompt = gemini.RootElement.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString()!;
        var history = Plans.InputIn(prompt).GetProperty("history");
        using var openAI = JsonDocument.Parse(host.OpenAI.Requests.Single(r => r.Method == "POST").Body);
        Assert.Multiple(() =>
        {
            Assert.That(history.GetArrayLength(), Is.EqualTo(1));
            Assert.That(history[0].GetProperty("text").GetString(), Is.EqualTo("…matters: use a set."));
            Assert.That(prompt, Does.Not.Contain(first));
            Assert.That(openAI.RootElement.GetProperty("messages").GetArrayLength(), Is.EqualTo(4), "system, both earlier turns, the question");
        });
    }
}
