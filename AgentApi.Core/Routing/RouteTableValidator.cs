using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentApi.Core.Routing;

/// <summary>
/// The rules a route table must meet, checked once at start. Names become metric labels and are what a
/// small model writes back, so they are short identifiers; limits are the ranges the providers accept.
/// </summary>
public static partial class RouteTableValidator
{
    public const int MaxRoutes = 32;
    public const int MaxNameLength = 40;
    public const int MaxDescriptionLength = 500;
    public const int MaxInstructionsLength = 16_000;
    public const int MaxModelLength = 200;
    public const int MaxOutputTokensLimit = 128_000;
    public const double MaxTemperature = 2;

    /// <summary>Every problem of <paramref name="routes"/>, each naming its route; empty when the table is usable.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<RouteDefinition> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var problems = new List<string>();
        if (routes.Count == 0)
        {
            problems.Add("the table lists no routes; it needs at least one, marked \"default\": true");
            return problems;
        }

        if (routes.Count > MaxRoutes)
        {
            problems.Add($"the table lists {routes.Count} routes; at most {MaxRoutes} are allowed (every route is in each orchestrator prompt)");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            var label = Label(route.Name, i);
            ValidateRoute(route, label, problems);
            if (string.IsNullOrWhiteSpace(route.Name))
            {
                continue;
            }

            var key = RouteTable.Key(route.Name);
            if (seen.TryGetValue(key, out var first))
            {
                problems.Add($"{label}: the name is already used by route #{first + 1} ('{routes[first].Name}'); names must be unique, ignoring case, '-' and '_'");
            }
            else
            {
                seen[key] = i;
            }
        }

        var defaults = routes.Where(r => r.IsDefault).Select(r => $"'{r.Name}'").ToList();
        if (defaults.Count == 0)
        {
            problems.Add("no route is marked \"default\": true; mark exactly one (it takes unknown choices and fallback asks)");
        }
        else if (defaults.Count > 1)
        {
            problems.Add($"routes {string.Join(", ", defaults)} are all marked \"default\": true; mark exactly one");
        }

        return problems;
    }

    /// <summary>How a problem names a route: by name, or by position when it has none.</summary>
    internal static string Label(string? name, int index) =>
        string.IsNullOrWhiteSpace(name) ? $"route #{index + 1}" : $"route '{name}'";

    private static void ValidateRoute(RouteDefinition route, string label, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(route.Name))
        {
            problems.Add($"{label}: \"name\" is missing or empty");
        }
        else if (route.Name.Length > MaxNameLength || !NamePattern().IsMatch(route.Name))
        {
            problems.Add($"{label}: \"name\" must be 1 to {MaxNameLength} letters, digits, '-' or '_', starting with a letter or digit");
        }

        if (string.IsNullOrWhiteSpace(route.Description))
        {
            problems.Add($"{label}: \"description\" is missing or empty (the orchestrator reads it to choose the route)");
        }
        else if (route.Description.Length > MaxDescriptionLength)
        {
            problems.Add($"{label}: \"description\" is longer than {MaxDescriptionLength} characters");
        }

        if (string.IsNullOrWhiteSpace(route.Instructions))
        {
            problems.Add($"{label}: \"instructions\" is missing or empty (the executor's system message)");
        }
        else if (route.Instructions.Length > MaxInstructionsLength)
        {
            problems.Add($"{label}: \"instructions\" is longer than {MaxInstructionsLength} characters");
        }

        if (route.Model is { } model && (string.IsNullOrWhiteSpace(model) || model.Length > MaxModelLength || !ModelPattern().IsMatch(model) || model.Contains("..", StringComparison.Ordinal)))
        {
            problems.Add($"{label}: \"model\" must be a model id such as 'gpt-4o' (no spaces, '?', '&', '#' or '..'); leave it out for the executor's configured model");
        }

        if (route.MaxOutputTokens is { } tokens && tokens is < 1 or > MaxOutputTokensLimit)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{label}: \"maxOutputTokens\" must be from 1 to {MaxOutputTokensLimit} (got {tokens})"));
        }

        if (route.Temperature is { } temperature && !(temperature >= 0 && temperature <= MaxTemperature))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{label}: \"temperature\" must be from 0 to {MaxTemperature} (got {temperature})"));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex NamePattern();

    // OpenAI ids (gpt-4o, ft:gpt-4o-mini:org::id), Ollama tags (gemma3:4b), Hugging Face paths (org/model).
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$")]
    private static partial Regex ModelPattern();
}
