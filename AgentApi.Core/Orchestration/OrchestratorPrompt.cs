using System.Text;
using AgentApi.Core.Routing;

namespace AgentApi.Core.Orchestration;

/// <summary>
/// Builds the orchestrator's single user turn. Gemma on the Gemini API rejects system instructions
/// and JSON mode, so the instructions and the requested output shape are written into the prompt.
/// </summary>
public static class OrchestratorPrompt
{
    /// <summary>Bumped whenever the wording changes, so cached answers from an older template are not reused.</summary>
    public const string TemplateVersion = "orchestrator-v2";

    public const int MaxOutputTokens = 512;

    /// <summary>The prompt for <paramref name="query"/>; it lists <paramref name="routes"/> by name and description.</summary>
    public static string Build(string query, string? context, RouteTable routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var builder = new StringBuilder(query.Length + (context?.Length ?? 0) + 800);
        builder.Append("You are the orchestrator of a two-model assistant. Read the user's query, choose a route, ")
            .Append("and write a focused, self-contained prompt that a stronger model will answer. Do not answer the query yourself.\n")
            .Append("Routes (name: what belongs there):\n");
        foreach (var route in routes.Routes)
        {
            builder.Append("- ").Append(route.Name).Append(": ").Append(route.Description).Append('\n');
        }

        builder.Append("If no route fits, use ").Append(routes.Default.Name).Append(".\n")
            .Append("Reply with exactly one JSON object and nothing else:\n")
            .Append("{\"route\": \"<route>\", \"prompt\": \"<focused prompt>\"}\n")
            .Append("The prompt must keep every fact, constraint and requested format from the query and context.\n\n");
        if (!string.IsNullOrWhiteSpace(context))
        {
            builder.Append("Context:\n<<<\n").Append(context).Append("\n>>>\n\n");
        }

        builder.Append("Query:\n<<<\n").Append(query).Append("\n>>>");
        return builder.ToString();
    }
}
