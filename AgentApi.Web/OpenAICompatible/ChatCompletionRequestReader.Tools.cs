using System.Text.Json;
using AgentApi.Core.Providers;
using AgentApi.Web.Diagnostics;
using static AgentApi.Web.OpenAICompatible.OpenAIRequestJson;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>The agent fields of a chat completion request: function tools, the tool choice, tool exchanges and the response format.</summary>
internal static partial class ChatCompletionRequestReader
{
    /// <summary>Function tools, each with a valid name and an object schema; any other type (web search, file search, …) is refused by its type.</summary>
    private static List<ToolDefinition>? ReadTools(JsonElement value) => ReadToolList(value, ReadTool);

    /// <summary>A tool as Chat Completions writes it: <c>{"type": "function", "function": {…}}</c>.</summary>
    private static ToolDefinition ReadTool(JsonElement tool, string path)
    {
        RequireFunctionType(tool, path);
        JsonElement? function = null;
        foreach (var property in Properties(tool, path))
        {
            switch (property.Name)
            {
                case "type":
                    break;
                case "function":
                    function = property.Value;
                    break;
                default:
                    throw Unrecognized($"{path}.{property.Name}");
            }
        }

        return function is { ValueKind: JsonValueKind.Object } definition
            ? ReadFunction(definition, $"{path}.function")
            : function is null or { ValueKind: JsonValueKind.Null }
                ? throw Invalid($"Missing required parameter: '{path}.function'.", $"{path}.function", "missing_required_parameter")
                : throw InvalidType($"{path}.function", "an object", function.Value);
    }

    /// <summary><c>none</c>, <c>auto</c>, <c>required</c>, or <c>{"type": "function", "function": {"name": …}}</c>.</summary>
    private static ToolChoice? ReadToolChoice(JsonElement value) => OpenAIRequestJson.ReadToolChoice(value, ReadNamedToolChoice);

    /// <summary><c>{"type": "function", "function": {"name": …}}</c>.</summary>
    private static ToolChoice ReadNamedToolChoice(JsonElement value)
    {
        string? type = null, name = null;
        foreach (var property in Properties(value, "tool_choice"))
        {
            switch (property.Name)
            {
                case "type":
                    type = String(property.Value, "tool_choice.type");
                    break;
                case "function" when property.Value.ValueKind == JsonValueKind.Object:
                    foreach (var field in Properties(property.Value, "tool_choice.function"))
                    {
                        name = field.Name == "name" ? String(field.Value, "tool_choice.function.name") : throw Unrecognized($"tool_choice.function.{field.Name}");
                    }

                    break;
                case "function":
                    throw InvalidType("tool_choice.function", "an object", property.Value);
                default:
                    throw Unrecognized($"tool_choice.{property.Name}");
            }
        }

        if (type != "function")
        {
            throw Invalid($"'tool_choice' of type '{LogText.Cut(type ?? "(none)")}' is not supported: name a function ({{\"type\": \"function\", \"function\": {{\"name\": …}}}}) or send 'none', 'auto' or 'required'.",
                "tool_choice.type", "invalid_value");
        }

        return ToolChoice.Function(RequireName(name, "tool_choice.function.name"));
    }

    /// <summary><c>text</c> (nothing asked), <c>json_object</c>, or <c>json_schema</c> with a name and an object schema.</summary>
    private static ResponseFormat? ReadResponseFormat(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw InvalidType("response_format", "an object", value);
        }

        string? type = null;
        JsonElement? schema = null;
        foreach (var property in Properties(value, "response_format"))
        {
            switch (property.Name)
            {
                case "type":
                    type = String(property.Value, "response_format.type");
                    break;
                case "json_schema":
                    schema = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
                    break;
                default:
                    throw Unrecognized($"response_format.{property.Name}");
            }
        }

        switch (type)
        {
            case null:
                throw Invalid("Missing required parameter: 'response_format.type'.", "response_format.type", "missing_required_parameter");
            case "text" or "json_object" when schema is not null:
                throw Unrecognized("response_format.json_schema");
            case "text":
                return null;
            case "json_object":
                return ResponseFormat.JsonObject;
            case "json_schema":
                return schema is { } definition
                    ? ReadJsonSchema(definition)
                    : throw Invalid("Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema", "missing_required_parameter");
            default:
                throw Invalid($"Invalid value: '{LogText.Cut(type)}'. Supported values are: 'text', 'json_object' and 'json_schema'.", "response_format.type", "invalid_value");
        }
    }

    private static ResponseFormat ReadJsonSchema(JsonElement value) => ReadJsonSchemaFormat(value, "response_format.json_schema");

    /// <summary>An assistant message's calls, kept verbatim (ids, names, arguments as JSON text) to go back to the executor as they came.</summary>
    private static List<ToolCall> ReadToolCalls(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw InvalidType(path, "an array of objects", value);
        }

        var calls = new List<ToolCall>();
        var index = 0;
        foreach (var call in value.EnumerateArray())
        {
            var callPath = $"{path}[{index++}]";
            if (call.ValueKind != JsonValueKind.Object)
            {
                throw InvalidType(callPath, "an object", call);
            }

            string? id = null, type = null, name = null, arguments = null;
            foreach (var property in Properties(call, callPath))
            {
                var field = $"{callPath}.{property.Name}";
                switch (property.Name)
                {
                    case "id":
                        id = String(property.Value, field);
                        break;
                    case "type":
                        type = String(property.Value, field);
                        break;
                    case "function" when property.Value.ValueKind == JsonValueKind.Object:
                        foreach (var part in Properties(property.Value, field))
                        {
                            switch (part.Name)
                            {
                                case "name":
                                    name = String(part.Value, $"{field}.name");
                                    break;
                                case "arguments":
                                    arguments = String(part.Value, $"{field}.arguments");
                                    break;
                                case "parsed_arguments":
                                    // The openai SDKs' stream and parse helpers add it to the calls they return, and
                                    // agents send those back as they got them: a copy of the arguments, not used.
                                    break;
                                default:
                                    throw Unrecognized($"{field}.{part.Name}");
                            }
                        }

                        break;
                    case "function":
                        throw InvalidType(field, "an object", property.Value);
                    default:
                        throw Unrecognized(field);
                }
            }

            if (type is not (null or "function"))
            {
                throw Invalid($"Tool calls of type '{LogText.Cut(type)}' are not supported: AgentApi passes function calls only.", $"{callPath}.type", "invalid_value");
            }

            calls.Add(new ToolCall(
                string.IsNullOrEmpty(id) ? throw Invalid($"Missing required parameter: '{callPath}.id'.", $"{callPath}.id", "missing_required_parameter") : id,
                string.IsNullOrEmpty(name) ? throw Invalid($"Missing required parameter: '{callPath}.function.name'.", $"{callPath}.function.name", "missing_required_parameter") : name,
                arguments ?? throw Invalid($"Missing required parameter: '{callPath}.function.arguments'.", $"{callPath}.function.arguments", "missing_required_parameter")));
        }

        return calls.Count > 0 ? calls : throw Invalid($"Invalid '{path}': empty array. Leave 'tool_calls' out when the assistant called nothing.", path, "empty_array");
    }
}
