using System.Text.Json;

namespace AgentApi.Tests.Support;

/// <summary>Orchestrator answers for the fake Gemini server.</summary>
public static class Plans
{
    /// <summary>A well-formed plan that routes to <c>general</c> and restates the query found in the orchestrator prompt.</summary>
    public static string EchoPlan(string orchestratorPrompt) => Json("general", $"Focused: {QueryIn(orchestratorPrompt)}");

    public static string Json(string route, string prompt) => JsonSerializer.Serialize(new { route, prompt });

    /// <summary>The user's query as the orchestrator prompt quotes it.</summary>
    public static string QueryIn(string orchestratorPrompt)
    {
        const string marker = "Query:\n<<<\n";
        var start = orchestratorPrompt.LastIndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return orchestratorPrompt;
        }

        start += marker.Length;
        var end = orchestratorPrompt.IndexOf("\n>>>", start, StringComparison.Ordinal);
        return end < 0 ? orchestratorPrompt[start..] : orchestratorPrompt[start..end];
    }
}
