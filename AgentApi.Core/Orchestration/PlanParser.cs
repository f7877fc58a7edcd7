using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentApi.Core.Orchestration;

/// <summary>
/// Reads the orchestrator's answer tolerantly: a 1B model wraps JSON in code fences, adds prose
/// around it, or ignores the format and writes <c>route:</c>/<c>prompt:</c> lines. Anything that
/// still yields a non-empty prompt is a plan; everything else is <c>null</c> and the ask falls back.
/// The route is kept as written: the route table (<see cref="Routing.RouteTable.Select"/>) resolves it.
/// </summary>
public static partial class PlanParser
{
    public const int MaxPromptLength = 16_000;

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public static OrchestrationPlan? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var (route, prompt) = FromJson(text) ?? FromLabelledLines(text);
        prompt = prompt?.Trim();
        if (string.IsNullOrEmpty(prompt) || prompt.Length > MaxPromptLength)
        {
            return null;
        }

        return new OrchestrationPlan(string.IsNullOrWhiteSpace(route) ? null : route.Trim(), prompt);
    }

    private static (string? Route, string? Prompt)? FromJson(string text)
    {
        var start = text.IndexOf('{', StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text.AsMemory(start, end - start + 1), JsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? route = null, prompt = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                switch (property.Name.ToLowerInvariant())
                {
                    case "route" or "category":
                        route = property.Value.GetString();
                        break;
                    case "prompt" or "focused_prompt" or "refined_prompt" or "focusedprompt":
                        prompt = property.Value.GetString();
                        break;
                }
            }

            return prompt is null ? null : (route, prompt);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string? Route, string? Prompt) FromLabelledLines(string text)
    {
        var route = RouteLine().Match(text);
        var prompt = PromptLine().Match(text);
        return (route.Success ? route.Groups["value"].Value : null,
                prompt.Success ? prompt.Groups["value"].Value.Trim().Trim('"') : null);
    }

    [GeneratedRegex(@"^\W*route\W*[:=]\s*(?<value>[A-Za-z0-9_-]+)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex RouteLine();

    [GeneratedRegex(@"^\W*(?:focused\s+)?prompt\W*[:=]\s*(?<value>[\s\S]+)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex PromptLine();
}
