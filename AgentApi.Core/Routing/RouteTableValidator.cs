using System.Globalization;
using System.Text.RegularExpressions;
using AgentApi.Core.Providers;

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
    public const int MaxFallbacks = 5;
    public const int MaxProviders = 32;

    /// <summary>Headers that carry keys: a key is named by its variable (<c>apiKeyVariable</c>), never written in the file.</summary>
    private static readonly string[] KeyHeaders = ["authorization", "x-api-key", "x-goog-api-key", "api-key", "proxy-authorization"];

    /// <summary>Every problem of <paramref name="routes"/>, each naming its route; empty when the table is usable.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<RouteDefinition> routes, IReadOnlyList<ProviderDefinition>? providers = null, string? orchestrator = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        providers ??= [];
        var problems = new List<string>();
        ValidateProviders(providers, problems);
        var names = RouteTable.ProviderNames(providers);
        if (orchestrator is not null)
        {
            ValidateTarget(orchestrator, "the top level: \"orchestrator\"", BuiltInProviders.Orchestrator, names, problems);
        }

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
            ValidateTargets(route, label, names, problems);
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

    private static void ValidateProviders(IReadOnlyList<ProviderDefinition> providers, List<string> problems)
    {
        if (providers.Count > MaxProviders)
        {
            problems.Add($"the table lists {providers.Count} providers; at most {MaxProviders} are allowed");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var provider in providers)
        {
            var label = string.IsNullOrWhiteSpace(provider.Name) ? "a provider" : $"provider '{provider.Name}'";
            if (string.IsNullOrWhiteSpace(provider.Name) || provider.Name.Length > MaxNameLength || !NamePattern().IsMatch(provider.Name))
            {
                problems.Add($"{label}: \"name\" must be 1 to {MaxNameLength} letters, digits, '-' or '_', starting with a letter or digit");
            }
            else if (BuiltInProviders.IsBuiltIn(provider.Name))
            {
                problems.Add($"{label}: the name is built in ('{BuiltInProviders.Executor}' is the OPENAI_* settings, '{BuiltInProviders.Orchestrator}' the GEMMA_* settings); choose another");
            }
            else if (!seen.Add(provider.Name))
            {
                problems.Add($"{label}: the name is used by another provider; names must be unique");
            }

            if (string.IsNullOrWhiteSpace(provider.Protocol))
            {
                problems.Add($"{label}: \"protocol\" is missing; it is \"openai\", \"gemini\" or \"anthropic\"");
            }

            if (provider.BaseUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0 && uri.Query.Length == 0))
            {
                problems.Add($"{label}: \"baseUrl\" must be an absolute http or https URL without credentials or query, such as https://api.anthropic.com/v1");
            }

            if (provider.ApiKeyVariable is { } variable && !VariablePattern().IsMatch(variable))
            {
                problems.Add($"{label}: \"apiKeyVariable\" must name an environment variable (letters, digits and '_', such as ANTHROPIC_API_KEY), not hold the key");
            }

            foreach (var header in provider.Headers.Keys)
            {
                if (KeyHeaders.Contains(header.ToLowerInvariant(), StringComparer.Ordinal))
                {
                    problems.Add($"{label}: header \"{header}\" would carry a key in the file; name the key's variable in \"apiKeyVariable\" instead");
                }
                else if (!HeaderNamePattern().IsMatch(header))
                {
                    problems.Add($"{label}: \"{header}\" is not a valid header name");
                }
            }
        }
    }

    private static void ValidateTargets(RouteDefinition route, string label, ISet<string> providers, List<string> problems)
    {
        if (route.Model is { } model && model.Contains('/', StringComparison.Ordinal))
        {
            ValidateTarget(model, $"{label}: \"model\"", BuiltInProviders.Executor, providers, problems);
        }

        if (route.Fallbacks.Count > MaxFallbacks)
        {
            problems.Add($"{label}: \"fallbacks\" lists {route.Fallbacks.Count} models; at most {MaxFallbacks} are allowed");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (route.Model is { } primary)
        {
            seen.Add(RouteTable.Parse(primary, BuiltInProviders.Executor, providers).ToString());
        }

        foreach (var fallback in route.Fallbacks)
        {
            var where = $"{label}: \"fallbacks\" entry '{fallback}'";
            if (!fallback.Contains('/', StringComparison.Ordinal))
            {
                problems.Add($"{where} must be written provider/model, such as 'anthropic/claude-haiku-4-5'");
                continue;
            }

            if (ValidateTarget(fallback, where, BuiltInProviders.Executor, providers, problems) && !seen.Add(RouteTable.Parse(fallback, BuiltInProviders.Executor, providers).ToString()))
            {
                problems.Add($"{where} is already the route's model or an earlier fallback");
            }
        }
    }

    /// <summary>
    /// A <c>provider/model</c> must name a provider of the table or a built-in one: a model id that holds a '/' of its own
    /// (a Hugging Face path) is written with its provider in front, so a misspelt provider is never taken for a model.
    /// </summary>
    private static bool ValidateTarget(string spec, string where, string bareProvider, ISet<string> providers, List<string> problems)
    {
        var target = RouteTable.Parse(spec, bareProvider, providers);
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && target.Provider == bareProvider && !spec.StartsWith(bareProvider + "/", StringComparison.Ordinal))
        {
            problems.Add($"{where} names provider '{spec[..slash]}', which is not defined (the providers are {string.Join(", ", providers.Order(StringComparer.Ordinal).Select(p => $"'{p}'"))}); a model id with a '/' of its own is written with its provider first, such as '{bareProvider}/{spec}'");
            return false;
        }

        if (string.IsNullOrWhiteSpace(target.Model) || target.Model.Length > MaxModelLength || !ModelPattern().IsMatch(target.Model) || target.Model.Contains("..", StringComparison.Ordinal))
        {
            problems.Add($"{where}: the model must be a model id such as 'gpt-4o' (no spaces, '?', '&', '#' or '..')");
            return false;
        }

        return true;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariablePattern();

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex HeaderNamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex NamePattern();

    // OpenAI ids (gpt-4o, ft:gpt-4o-mini:org::id), Ollama tags (gemma3:4b), Hugging Face paths (org/model).
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$")]
    private static partial Regex ModelPattern();
}
