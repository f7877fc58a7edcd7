using System.Text.Json;

namespace AgentApi.Tests.Support;

/// <summary>Orchestrator answers for the fake Gemini server.</summary>
public static class Plans
{
    /// <summary>A well-formed plan that routes to <c>general</c> and restates the query found in the orchestrator prompt.</summary>
    public static string EchoPlan(string orchestratorPrompt) => Json("general", $"Focused: {QueryIn(orchestratorPrompt)}");

    public static string Json(string route, string prompt) => JsonSerializer.Serialize(new { route, prompt });

    /// <summary>The JSON input on the orchestrator prompt's last line.</summary>
    public static JsonElement InputIn(string orchestratorPrompt)
    {
        var start = orchestratorPrompt.LastIndexOf("\n" + Core.Orchestration.OrchestratorPrompt.InputLabel, StringComparison.Ordinal);
        using var input = JsonDocument.Parse(orchestratorPrompt.AsMemory(start + 1 + Core.Orchestration.OrchestratorPrompt.InputLabel.Length));
        return input.RootElement.Clone();
    }

    /// <summary>The user's query as the orchestrator prompt carries it: the <c>query</c> of the JSON input on its last line.</summary>
    public static string QueryIn(string orchestratorPrompt)
    {
        var start = orchestratorPrompt.LastIndexOf("\n" + Core.Orchestration.OrchestratorPrompt.InputLabel, StringComparison.Ordinal);
        if (start < 0)
        {
            return orchestratorPrompt;
        }

        using var input = JsonDocument.Parse(orchestratorPrompt.AsMemory(start + 1 + Core.Orchestration.OrchestratorPrompt.InputLabel.Length));
        return input.RootElement.GetProperty("query").GetString()!;
    }
}
