using System.Text.Json;

namespace AgentApi.Core.Routing;

/// <summary>
/// Reads the operator's route table from a JSON file:
/// <c>{ "providers"?: [ { "name", "protocol", "baseUrl"?, "apiKeyVariable"?, "headers"? } ], "orchestrator"?: "provider/model",
/// "routes": [ { "name", "description", "default"?, "model"?, "fallbacks"?, "instructions", "maxOutputTokens"?, "temperature"? } ] }</c>.
/// Read by hand rather than bound, so every problem (an unknown field, a wrong type, a rule broken) is
/// reported with its route and nothing about .NET types; comments and trailing commas are allowed.
/// </summary>
public static class RouteTableLoader
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    private static readonly string[] Fields = ["name", "description", "default", "model", "fallbacks", "instructions", "maxOutputTokens", "temperature"];

    private static readonly string[] ProviderFields = ["name", "protocol", "baseUrl", "apiKeyVariable", "headers"];

    private static readonly string[] TopLevelFields = ["providers", "orchestrator", "routes"];

    /// <summary>The table in <paramref name="path"/>, or <see cref="BuiltInRoutes.Table"/> when no path is set.</summary>
    /// <param name="path">The file, relative to the working directory or absolute; null or blank for the built-in table.</param>
    /// <param name="setting">The setting that named the file, for the error message.</param>
    /// <exception cref="RouteTableException">The file is missing, unreadable, not JSON, or breaks a rule; the message names the file, the route and the problem.</exception>
    public static RouteTable Load(string? path, string setting)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return BuiltInRoutes.Table;
        }

        var fullPath = Path.GetFullPath(path.Trim());
        var source = $"Routes file '{fullPath}' ({setting})";
        string json;
        try
        {
            json = File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RouteTableException(source, ["the file does not exist"]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RouteTableException(source, [$"the file could not be read ({ex.Message})"]);
        }

        return Parse(json, source);
    }

    /// <summary>Reads a table from its JSON text.</summary>
    /// <exception cref="RouteTableException">Not JSON, or a rule is broken; <paramref name="source"/> starts the message.</exception>
    public static RouteTable Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : string.Empty;
            throw new RouteTableException(source, [$"the file is not valid JSON{where}"]);
        }

        using (document)
        {
            var problems = new List<string>();
            var root = document.RootElement;
            var routes = ReadRoutes(root, problems);
            var providers = ReadProviders(root, problems);
            var orchestrator = root.ValueKind == JsonValueKind.Object ? String(root, "orchestrator", "the top level", problems) : null;
            if (problems.Count > 0)
            {
                throw new RouteTableException(source, problems);
            }

            return RouteTable.Create(routes, source, providers, orchestrator);
        }
    }

    private static List<RouteDefinition> ReadRoutes(JsonElement root, List<string> problems)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("routes", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            problems.Add("the file must hold a JSON object with a \"routes\" array: { \"routes\": [ { \"name\": …, \"description\": …, \"instructions\": … } ] }");
            return [];
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!TopLevelFields.Contains(property.Name, StringComparer.Ordinal))
            {
                problems.Add($"unknown field \"{property.Name}\" at the top level; the fields are {Quoted(TopLevelFields)}");
            }
        }

        var routes = new List<RouteDefinition>();
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (ReadRoute(element, index++, problems) is { } route)
            {
                routes.Add(route);
            }
        }

        return routes;
    }

    private static RouteDefinition? ReadRoute(JsonElement element, int index, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"route #{index + 1}: must be a JSON object");
            return null;
        }

        var name = element.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString() : null;
        var label = RouteTableValidator.Label(name, index);
        var before = problems.Count;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                problems.Add($"{label}: unknown field \"{property.Name}\"; the fields are {Quoted(Fields)}");
            }
            else if (!seen.Add(property.Name))
            {
                problems.Add($"{label}: \"{property.Name}\" is given twice");
            }
        }

        var route = new RouteDefinition(
            String(element, "name", label, problems) ?? string.Empty,
            String(element, "description", label, problems) ?? string.Empty,
            String(element, "instructions", label, problems) ?? string.Empty,
            Boolean(element, "default", label, problems) ?? false,
            String(element, "model", label, problems),
            Integer(element, "maxOutputTokens", label, problems),
            Number(element, "temperature", label, problems))
        {
            Fallbacks = Strings(element, "fallbacks", label, problems),
        };
        return problems.Count == before ? route : null;
    }

    private static List<ProviderDefinition> ReadProviders(JsonElement root, List<string> problems)
    {
        var providers = new List<ProviderDefinition>();
        if (root.ValueKind != JsonValueKind.Object || Value(root, "providers") is not { } array)
        {
            return providers;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            problems.Add("\"providers\" must be an array: [ { \"name\": …, \"protocol\": …, \"baseUrl\": …, \"apiKeyVariable\": … } ]");
            return providers;
        }

        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var label = $"provider #{++index}";
            if (element.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{label}: must be a JSON object");
                continue;
            }

            if (element.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String)
            {
                label = $"provider '{nameElement.GetString()}'";
            }

            var before = problems.Count;
            foreach (var property in element.EnumerateObject())
            {
                if (!ProviderFields.Contains(property.Name, StringComparer.Ordinal))
                {
                    problems.Add($"{label}: unknown field \"{property.Name}\"; the fields are {Quoted(ProviderFields)}");
                }
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (Value(element, "headers") is { } headersElement)
            {
                if (headersElement.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{label}: \"headers\" must be an object of header names and string values");
                }
                else
                {
                    foreach (var header in headersElement.EnumerateObject())
                    {
                        if (header.Value.ValueKind != JsonValueKind.String)
                        {
                            problems.Add($"{label}: header \"{header.Name}\" must have a string value");
                        }
                        else if (!headers.TryAdd(header.Name, header.Value.GetString()!))
                        {
                            problems.Add($"{label}: header \"{header.Name}\" is given twice");
                        }
                    }
                }
            }

            var provider = new ProviderDefinition(
                String(element, "name", label, problems) ?? string.Empty,
                String(element, "protocol", label, problems) ?? string.Empty,
                String(element, "baseUrl", label, problems),
                String(element, "apiKeyVariable", label, problems),
                headers);
            if (problems.Count == before)
            {
                providers.Add(provider);
            }
        }

        return providers;
    }

    private static List<string> Strings(JsonElement route, string field, string label, List<string> problems)
    {
        if (Value(route, field) is not { } value)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            problems.Add($"{label}: \"{field}\" must be an array of strings such as [\"anthropic/claude-haiku-4-5\"]");
            return [];
        }

        return [.. value.EnumerateArray().Select(item => item.GetString()!)];
    }

    private static string Quoted(IEnumerable<string> fields) => string.Join(", ", fields.Select(f => $"\"{f}\""));

    private static string? String(JsonElement route, string field, string label, List<string> problems) =>
        Value(route, field) is not { } value ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : Problem<string>(label, field, "a string", problems);

    private static bool? Boolean(JsonElement route, string field, string label, List<string> problems) =>
        Value(route, field) is not { } value ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : Problem<bool>(label, field, "true or false", problems);

    private static int? Integer(JsonElement route, string field, string label, List<string> problems) =>
        Value(route, field) is not { } value ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : Problem<int>(label, field, "a whole number", problems);

    private static double? Number(JsonElement route, string field, string label, List<string> problems) =>
        Value(route, field) is not { } value ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) ? number
        : Problem<double>(label, field, "a number", problems);

    /// <summary>The field, or null when it is absent or JSON <c>null</c> (both mean "not set").</summary>
    private static JsonElement? Value(JsonElement route, string field) =>
        route.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static T? Problem<T>(string label, string field, string expected, List<string> problems)
    {
        problems.Add($"{label}: \"{field}\" must be {expected}");
        return default;
    }
}
