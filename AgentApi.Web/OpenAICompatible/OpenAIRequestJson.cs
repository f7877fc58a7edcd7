using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using AgentApi.Core.Providers;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.Pipeline;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// How both <c>/v1</c> readers (<see cref="ChatCompletionRequestReader"/>, the Responses reader) walk a body by hand so
/// every error names the exact field: the body's rules (<see cref="RequestRules"/>), each key once, typed values, a
/// field accepted only at the value that asks nothing, and OpenAI's error for each refusal.
/// </summary>
internal static class OpenAIRequestJson
{
    /// <summary>The longest end-user id: it is passed to the executor and identifies a person, not a document.</summary>
    public const int MaxEndUserChars = 256;

    /// <summary>OpenAI's limit on the tools of one request.</summary>
    public const int MaxTools = 128;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// The body as JSON, under the rules every door applies: sent as JSON, valid UTF-8 (checked whole, so no string is
    /// transcoded half-way), a leading BOM skipped. The caller disposes the document.
    /// </summary>
    /// <exception cref="InvalidOpenAIRequestException">The body is not JSON.</exception>
    public static async Task<JsonDocument> ParseBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new InvalidOpenAIRequestException(OpenAIErrors.UnsupportedMediaType);
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        var bytes = body.GetBuffer().AsMemory(0, (int)body.Length);
        if (bytes.Span.StartsWith(Utf8Bom))
        {
            // Some clients (PowerShell, StreamWriter with Encoding.UTF8) start the body with one; MVC skips it on /api.
            bytes = bytes[Utf8Bom.Length..];
        }

        if (!Utf8.IsValid(bytes.Span))
        {
            throw Invalid("The request body is not valid UTF-8. Send JSON encoded as UTF-8.", param: null, "invalid_encoding");
        }

        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            throw new InvalidOpenAIRequestException(OpenAIErrors.InvalidJson);
        }
    }

    /// <summary>The body's root, which must be an object.</summary>
    public static JsonElement RequireObject(JsonElement root) => root.ValueKind == JsonValueKind.Object
        ? root
        : throw Invalid($"The request body must be a JSON object, not {Describe(root)}.", param: null, "invalid_type");

    /// <summary>Accepts null and the value for which the field asks nothing of the service; anything else is a 400 naming the field.</summary>
    public static void RequireNoOp(JsonElement value, string name, Func<JsonElement, bool> isNoOp, string reason)
    {
        if (value.ValueKind != JsonValueKind.Null && !isNoOp(value))
        {
            throw Invalid($"'{name}' is not supported: {reason}.", name, "unsupported_parameter");
        }
    }

    public static string? String(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => throw InvalidType(name, "a string", value),
    };

    /// <summary>OpenAI's <c>user</c> or <c>safety_identifier</c>: a string of at most <see cref="MaxEndUserChars"/> characters.</summary>
    public static string? EndUser(JsonElement value, string name)
    {
        var user = String(value, name);
        return user?.Length > MaxEndUserChars
            ? throw Invalid(string.Create(CultureInfo.InvariantCulture, $"'{name}' has {user.Length} characters; at most {MaxEndUserChars} are allowed."), name, "string_above_max_length")
            : user;
    }

    public static bool? Boolean(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => throw InvalidType(name, "a boolean", value),
    };

    public static double? Number(JsonElement value, string name, double min, double max)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw InvalidType(name, "a number", value);
        }

        var number = value.GetDouble();
        return number >= min && number <= max
            ? number
            : throw Invalid(string.Create(CultureInfo.InvariantCulture, $"Invalid '{name}': must be from {min} to {max}."), name, "invalid_value");
    }

    public static long? Integer(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number when value.TryGetInt64(out var number) => number,
        _ => throw InvalidType(name, "an integer", value),
    };

    /// <summary>An integer of at least <paramref name="min"/> (1 unless said).</summary>
    public static int? PositiveInteger(JsonElement value, string name, int min = 1)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            throw InvalidType(name, "an integer", value);
        }

        return number >= min ? number : throw Invalid(string.Create(CultureInfo.InvariantCulture, $"Invalid '{name}': must be at least {min}."), name, "invalid_value");
    }

    /// <summary>An object's properties, refusing a key sent twice (<c>{"model":"a","model":"b"}</c> would otherwise be read as "b").</summary>
    public static IEnumerable<JsonProperty> Properties(JsonElement value, string? path)
    {
        HashSet<string>? seen = null;
        foreach (var property in value.EnumerateObject())
        {
            seen ??= new HashSet<string>(StringComparer.Ordinal);
            if (!seen.Add(property.Name))
            {
                var field = path is null ? property.Name : $"{path}.{property.Name}";
                throw Invalid($"The key '{LogText.Cut(field)}' appears more than once; send it once.", LogText.Cut(field), "duplicate_parameter");
            }

            yield return property;
        }
    }

    /// <summary>
    /// <c>stream_options</c>, only with <c>stream: true</c>: <c>include_obfuscation</c> at false (nothing is padded), and
    /// <c>include_usage</c> where the API has it (<paramref name="takesIncludeUsage"/>). Returns <c>include_usage</c>.
    /// </summary>
    public static bool ReadStreamOptions(JsonElement? options, bool stream, bool takesIncludeUsage)
    {
        if (options is not { } value)
        {
            return false;
        }

        if (!stream)
        {
            throw Invalid("stream_options is only allowed when stream is true.", "stream_options");
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw InvalidType("stream_options", "an object", value);
        }

        var includeUsage = false;
        foreach (var property in Properties(value, "stream_options"))
        {
            var path = "stream_options." + property.Name;
            switch (property.Name)
            {
                case "include_usage" when takesIncludeUsage:
                    includeUsage = Boolean(property.Value, path) ?? false;
                    break;
                case "include_obfuscation":
                    RequireNoOp(property.Value, path, v => v.ValueKind == JsonValueKind.False, "stream events are not padded; include_obfuscation must be false");
                    break;
                default:
                    throw Unrecognized(path);
            }
        }

        return includeUsage;
    }

    /// <summary><c>tool_choice</c>: <c>none</c>, <c>auto</c>, <c>required</c>, or a function, whose object <paramref name="readFunction"/> reads.</summary>
    public static ToolChoice? ReadToolChoice(JsonElement value, Func<JsonElement, ToolChoice> readFunction) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString() switch
        {
            "none" => ToolChoice.None,
            "auto" => ToolChoice.Auto,
            "required" => ToolChoice.Required,
            var other => throw Invalid($"Invalid value: '{LogText.Cut(other)}'. Supported values are: 'none', 'auto' and 'required', or a function to call.", "tool_choice", "invalid_value"),
        },
        JsonValueKind.Object => readFunction(value),
        _ => throw InvalidType("tool_choice", "a string or an object", value),
    };

    /// <summary>
    /// A function's or a JSON Schema format's definition: <c>name</c>, <c>description</c>, the JSON Schema (an object, kept
    /// as its JSON text) under <paramref name="schemaField"/>, and <c>strict</c>. Any other key is refused unless
    /// <paramref name="other"/> takes it (returns true).
    /// </summary>
    public static (string? Name, string? Description, string? Schema, bool? Strict) ReadSchemaDefinition(
        JsonElement value, string path, string schemaField, Func<JsonProperty, string, bool>? other = null)
    {
        string? name = null, description = null, schema = null;
        bool? strict = null;
        foreach (var property in Properties(value, path))
        {
            var field = $"{path}.{property.Name}";
            switch (property.Name)
            {
                case "name":
                    name = String(property.Value, field);
                    break;
                case "description":
                    description = String(property.Value, field);
                    break;
                case "strict":
                    strict = Boolean(property.Value, field);
                    break;
                case var key when key == schemaField:
                    schema = property.Value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.Object => property.Value.GetRawText(),
                        _ => throw InvalidType(field, "an object (a JSON Schema)", property.Value),
                    };
                    break;
                default:
                    if (other?.Invoke(property, field) != true)
                    {
                        throw Unrecognized(field);
                    }

                    break;
            }
        }

        return (name, description, schema, strict);
    }

    /// <summary><c>tools</c>: null, or an array of at most <see cref="MaxTools"/> tools, each read by <paramref name="readTool"/> with its path.</summary>
    public static List<ToolDefinition>? ReadToolList(JsonElement value, Func<JsonElement, string, ToolDefinition> readTool)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case not JsonValueKind.Array:
                throw InvalidType("tools", "an array of objects", value);
            case JsonValueKind.Array when value.GetArrayLength() > MaxTools:
                throw Invalid(string.Create(CultureInfo.InvariantCulture, $"Invalid 'tools': array too long. Expected an array with maximum length {MaxTools}, but got an array with length {value.GetArrayLength()} instead."), "tools", "array_above_max_length");
        }

        var tools = new List<ToolDefinition>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            tools.Add(readTool(item, $"tools[{index++}]"));
        }

        return tools;
    }

    /// <summary>A tool is an object of type <c>function</c>; built-in tool types (web search, file search, …) are refused by their type.</summary>
    public static void RequireFunctionType(JsonElement tool, string path)
    {
        if (tool.ValueKind != JsonValueKind.Object)
        {
            throw InvalidType(path, "an object", tool);
        }

        var type = tool.TryGetProperty("type", out var typeValue) ? String(typeValue, $"{path}.type") : null;
        if (type is null)
        {
            throw Missing($"{path}.type");
        }

        if (type != "function")
        {
            throw Invalid($"Tools of type '{LogText.Cut(type)}' are not supported: AgentApi gives the executor function tools only; built-in tools (web search, file search, computer use, code interpreter, MCP, image generation, …) are not available.",
                $"{path}.type", "unsupported_tool_type");
        }
    }

    /// <summary>A function's definition (<see cref="ReadSchemaDefinition"/> with its schema under <c>parameters</c>); a strict schema must keep structured outputs' rules.</summary>
    public static ToolDefinition ReadFunction(JsonElement function, string path, Func<JsonProperty, string, bool>? other = null)
    {
        var (name, description, parameters, strict) = ReadSchemaDefinition(function, path, "parameters", other);
        var checkedName = RequireName(name, $"{path}.name");
        if (strict == true && parameters is not null && StrictProblem(parameters) is { } problem)
        {
            throw Invalid($"Invalid schema for function '{checkedName}': {problem}", $"{path}.parameters", "invalid_function_parameters");
        }

        return new ToolDefinition(checkedName, description, parameters, strict);
    }

    /// <summary>A JSON Schema response format at <paramref name="path"/>: a name, the schema (required) and <c>strict</c>, whose schema must keep structured outputs' rules.</summary>
    public static ResponseFormat ReadJsonSchemaFormat(JsonElement value, string path, Func<JsonProperty, string, bool>? other = null)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw InvalidType(path, "an object", value);
        }

        var (name, description, schema, strict) = ReadSchemaDefinition(value, path, "schema", other);
        var checkedName = RequireName(name, $"{path}.name");
        if (schema is null)
        {
            throw Missing($"{path}.schema", "Send the JSON Schema the answer must match.");
        }

        return strict == true && StrictProblem(schema) is { } problem
            ? throw Invalid($"Invalid schema for response format '{checkedName}': {problem}", $"{path}.schema", "invalid_json_schema")
            : ResponseFormat.JsonSchema(checkedName, schema, strict, description);
    }

    /// <summary>
    /// The tools with their choice: a choice of a function not among the tools, or of any tool when none is given, is
    /// refused as OpenAI refuses it (naming <paramref name="choiceNameField"/>); <c>tool_choice: "none"</c> and
    /// <c>parallel_tool_calls</c> without tools ask nothing.
    /// </summary>
    public static ToolSet? ToolSetOf(IReadOnlyList<ToolDefinition>? tools, ToolChoice? choice, bool? parallelToolCalls, string choiceNameField)
    {
        if (tools is not { Count: > 0 })
        {
            return choice is null or { Mode: ToolChoiceMode.None }
                ? null
                : throw Invalid("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", "tool_choice", "invalid_value");
        }

        if (choice is { Mode: ToolChoiceMode.Function, Name: var name } && !tools.Any(tool => tool.Name == name))
        {
            throw Invalid($"Invalid value for 'tool_choice': the function '{LogText.Cut(name)}' is not one of the 'tools'. Name a function the request defines.", choiceNameField, "invalid_value");
        }

        return new ToolSet(tools, choice, parallelToolCalls);
    }

    /// <summary>A function or schema name as OpenAI takes it: 1 to 64 of a-z, A-Z, 0-9, '_' and '-'.</summary>
    public static string RequireName(string? name, string path)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw Invalid($"Missing required parameter: '{path}'.", path, "missing_required_parameter");
        }

        return name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? name
            : throw Invalid($"Invalid '{path}': string does not match pattern. Expected a string of 1 to 64 characters that matches the pattern '^[a-zA-Z0-9_-]+$'.", path, "invalid_value");
    }

    /// <summary>A strict schema's break of structured outputs' rules (<see cref="StrictJsonSchema"/>), or null.</summary>
    public static string? StrictProblem(string schema)
    {
        using var document = JsonDocument.Parse(schema);
        return StrictJsonSchema.Problem(document.RootElement);
    }

    /// <summary>A field the spec does not have; the name is the caller's and may be of any length, so it is cut.</summary>
    public static InvalidOpenAIRequestException Unrecognized(string field) =>
        Invalid($"Unrecognized request argument supplied: {LogText.Cut(field)}", LogText.Cut(field), "unknown_parameter");

    public static InvalidOpenAIRequestException Missing(string field, string? hint = null) =>
        Invalid($"Missing required parameter: '{field}'.{(hint is null ? string.Empty : " " + hint)}", field, "missing_required_parameter");

    public static InvalidOpenAIRequestException InvalidType(string name, string expected, JsonElement actual) =>
        Invalid($"Invalid type for '{name}': expected {expected}, but got {Describe(actual)} instead.", name, "invalid_type");

    public static InvalidOpenAIRequestException Invalid(string message, string? param, string? code = null) =>
        new(OpenAIError.BadRequest(message, param, code));

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
