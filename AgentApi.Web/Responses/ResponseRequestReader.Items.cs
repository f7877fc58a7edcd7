using System.Text.Json;
using AgentApi.Web.Diagnostics;
using static AgentApi.Web.OpenAICompatible.OpenAIRequestJson;

namespace AgentApi.Web.Responses;

/// <summary>
/// <c>input</c>: a string (one user message) or items: messages, function calls (as a response's <c>output</c> has them,
/// which agents send back), function call outputs, and references to items of the caller's stored responses. Items
/// are read into their canonical form, which is also how they are stored and listed; the same reading turns a stored
/// response's items back into a conversation.
/// </summary>
internal static partial class ResponseRequestReader
{
    private static List<PlacedItem> ReadInput(JsonElement? input)
    {
        switch (input)
        {
            case null:
                throw Missing("input");
            case { ValueKind: JsonValueKind.String } text:
                return [new PlacedItem(new ResponseMessage(ResponseMessage.User, [new InputTextContent(text.GetString()!)]), "input")];
            case { ValueKind: not JsonValueKind.Array } other:
                throw InvalidType("input", "a string or an array of items", other);
            case { } array when array.GetArrayLength() == 0:
                throw Invalid("Invalid 'input': empty array. Send at least one item.", "input", "empty_array");
        }

        var items = new List<PlacedItem>();
        var index = 0;
        foreach (var item in input.Value.EnumerateArray())
        {
            items.Add(ReadItem(item, $"input[{index++}]"));
        }

        return items;
    }

    /// <summary>One item at <paramref name="field"/>: a request's (<c>input[2]</c>) or a stored response's (<see cref="PlacedItem.PreviousResponse"/>).</summary>
    /// <exception cref="OpenAICompatible.InvalidOpenAIRequestException">The item cannot be used.</exception>
    public static PlacedItem ReadItem(JsonElement item, string field)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw InvalidType(field, "an object", item);
        }

        var type = item.TryGetProperty("type", out var typeValue) ? String(typeValue, $"{field}.type") : null;
        if (type == "item_reference")
        {
            return new PlacedItem(null, field, ReadReference(item, field));
        }

        ResponseItem read = type switch
        {
            null when item.TryGetProperty("role", out _) => ReadMessage(item, field),
            null => throw Missing($"{field}.type"),
            "message" => ReadMessage(item, field),
            "function_call" => ReadFunctionCall(item, field),
            "function_call_output" => ReadFunctionCallOutput(item, field),
            "reasoning" => throw Invalid("Items of type 'reasoning' are not supported: the executor is not a reasoning model.", $"{field}.type", "invalid_value"),
            _ => throw Invalid($"Items of type '{LogText.Cut(type)}' are not supported: AgentApi takes messages, function calls, their outputs and references to them; built-in tools' items are not available.",
                $"{field}.type", "invalid_value"),
        };

        // An item's id is kept as it came (a stored item is found by it); a request's items get new ones when stored.
        return new PlacedItem(item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? read with { Id = id.GetString()! } : read, field);
    }

    private static ResponseMessage ReadMessage(JsonElement item, string field)
    {
        string? role = null;
        JsonElement? content = null;
        foreach (var property in Properties(item, field))
        {
            var path = $"{field}.{property.Name}";
            switch (property.Name)
            {
                case "type":
                    break;
                case "role":
                    role = String(property.Value, path);
                    break;
                case "content":
                    content = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
                    break;
                case "id" or "status" or "phase":
                    // What a response's output item carries, sent back as it came: not used.
                    String(property.Value, path);
                    break;
                default:
                    throw Unrecognized(path);
            }
        }

        if (role is not ("user" or "assistant" or "system" or "developer"))
        {
            throw role is null
                ? Missing($"{field}.role")
                : Invalid($"Invalid value: '{LogText.Cut(role)}'. Supported values are: 'user', 'assistant', 'system' and 'developer'.", $"{field}.role", "invalid_value");
        }

        var parts = content switch
        {
            null => throw Missing($"{field}.content"),
            { ValueKind: JsonValueKind.String } text => [Part(role, text.GetString()!)],
            { ValueKind: JsonValueKind.Array } array => ReadParts(array, role, $"{field}.content"),
            { } other => throw InvalidType($"{field}.content", "a string or an array of content parts", other),
        };
        return new ResponseMessage(role, parts);
    }

    /// <summary>Text parts: <c>input_text</c>, and the assistant's <c>output_text</c> and <c>refusal</c>; images, files and audio are refused by their path.</summary>
    private static List<ResponseContent> ReadParts(JsonElement content, string role, string path)
    {
        var parts = new List<ResponseContent>();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{index++}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                throw InvalidType(partPath, "an object", part);
            }

            var type = part.TryGetProperty("type", out var typeValue) ? String(typeValue, $"{partPath}.type") : null;
            var textField = type switch
            {
                null => throw Missing($"{partPath}.type"),
                "input_text" => "text",
                "output_text" or "refusal" when role == ResponseMessage.Assistant => type == "refusal" ? "refusal" : "text",
                "output_text" or "refusal" => throw Invalid($"Content parts of type '{type}' are the assistant's; a {role} message holds 'input_text' parts.", $"{partPath}.type", "invalid_value"),
                _ => throw Invalid($"Content parts of type '{LogText.Cut(type)}' are not supported: AgentApi reads text only. Send '{partPath}' as an 'input_text' part.", $"{partPath}.type", "invalid_value"),
            };

            string? text = null;
            foreach (var property in Properties(part, partPath))
            {
                switch (property.Name)
                {
                    case "type":
                        break;
                    case var name when name == textField:
                        text = String(property.Value, $"{partPath}.{name}");
                        break;
                    case "annotations" or "logprobs" when type == "output_text":
                        // An output part sent back as a response returned it: not used.
                        break;
                    default:
                        throw Unrecognized($"{partPath}.{property.Name}");
                }
            }

            var value = text ?? throw Missing($"{partPath}.{textField}");
            parts.Add(type == "refusal" ? new RefusalContent(value) : Part(role, value));
        }

        return parts;
    }

    /// <summary>A text part in its canonical form: <c>output_text</c> in the assistant's messages, <c>input_text</c> in the others.</summary>
    private static ResponseContent Part(string role, string text) =>
        role == ResponseMessage.Assistant ? new OutputTextContent(text) : new InputTextContent(text);

    private static ResponseFunctionCall ReadFunctionCall(JsonElement item, string field)
    {
        string? callId = null, name = null, arguments = null;
        foreach (var property in Properties(item, field))
        {
            var path = $"{field}.{property.Name}";
            switch (property.Name)
            {
                case "type":
                    break;
                case "call_id":
                    callId = String(property.Value, path);
                    break;
                case "name":
                    name = String(property.Value, path);
                    break;
                case "arguments":
                    arguments = String(property.Value, path);
                    break;
                case "id" or "status":
                    String(property.Value, path);
                    break;
                case "namespace" or "caller":
                    RequireNoOp(property.Value, path, _ => false, "tool namespaces and programmatic callers are not available");
                    break;
                default:
                    throw Unrecognized(path);
            }
        }

        return new ResponseFunctionCall(
            string.IsNullOrEmpty(callId) ? throw Missing($"{field}.call_id") : callId,
            string.IsNullOrEmpty(name) ? throw Missing($"{field}.name") : name,
            arguments ?? throw Missing($"{field}.arguments"));
    }

    private static ResponseFunctionCallOutput ReadFunctionCallOutput(JsonElement item, string field)
    {
        string? callId = null, output = null;
        foreach (var property in Properties(item, field))
        {
            var path = $"{field}.{property.Name}";
            switch (property.Name)
            {
                case "type":
                    break;
                case "call_id":
                    callId = String(property.Value, path);
                    break;
                case "output":
                    output = property.Value.ValueKind == JsonValueKind.Array
                        ? string.Join('\n', ReadParts(property.Value, "user", path).Select(ResponseContent.TextOf))
                        : String(property.Value, path);
                    break;
                case "id" or "status":
                    String(property.Value, path);
                    break;
                default:
                    throw Unrecognized(path);
            }
        }

        return new ResponseFunctionCallOutput(
            string.IsNullOrEmpty(callId) ? throw Missing($"{field}.call_id", "A function's output answers the call with this id.") : callId,
            output ?? throw Missing($"{field}.output"));
    }

    private static string ReadReference(JsonElement item, string field)
    {
        string? id = null;
        foreach (var property in Properties(item, field))
        {
            switch (property.Name)
            {
                case "type":
                    break;
                case "id":
                    id = String(property.Value, $"{field}.id");
                    break;
                default:
                    throw Unrecognized($"{field}.{property.Name}");
            }
        }

        return string.IsNullOrEmpty(id) ? throw Missing($"{field}.id") : id;
    }
}
