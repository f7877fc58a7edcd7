using System.Text.Json;
using AgentApi.Core.Providers;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.OpenAICompatible;
using static AgentApi.Web.OpenAICompatible.OpenAIRequestJson;

namespace AgentApi.Web.Responses;

/// <summary>The Responses API's function tools and tool choice, flat where Chat Completions nests them under <c>function</c>.</summary>
internal static partial class ResponseRequestReader
{
    /// <summary><c>{"type": "function", "name", "description", "parameters", "strict"}</c>; the spec's other function fields only as null.</summary>
    private static ToolDefinition ReadTool(JsonElement tool, string path)
    {
        RequireFunctionType(tool, path);
        return ReadFunction(tool, path, static (property, field) =>
        {
            switch (property.Name)
            {
                case "type":
                    return true;
                case "defer_loading":
                    RequireNoOp(property.Value, field, v => v.ValueKind == JsonValueKind.False, "tool search is not available, so no function is deferred");
                    return true;
                case "output_schema" or "allowed_callers":
                    RequireNoOp(property.Value, field, _ => false, "programmatic tool calling is not available");
                    return true;
                default:
                    return false;
            }
        });
    }

    /// <summary><c>none</c>, <c>auto</c>, <c>required</c>, or <c>{"type": "function", "name": …}</c>; built-in, MCP, custom and allowed-tools choices are refused by type.</summary>
    private static ToolChoice? ReadToolChoice(JsonElement value) => OpenAIRequestJson.ReadToolChoice(value, ReadNamedToolChoice);

    private static ToolChoice ReadNamedToolChoice(JsonElement value)
    {
        var type = value.TryGetProperty("type", out var typeValue) ? String(typeValue, "tool_choice.type") : null;
        if (type != "function")
        {
            throw Invalid($"'tool_choice' of type '{LogText.Cut(type ?? "(none)")}' is not supported: name a function ({{\"type\": \"function\", \"name\": …}}) or send 'none', 'auto' or 'required'.",
                "tool_choice.type", "invalid_value");
        }

        string? name = null;
        foreach (var property in Properties(value, "tool_choice"))
        {
            switch (property.Name)
            {
                case "type":
                    break;
                case "name":
                    name = String(property.Value, "tool_choice.name");
                    break;
                default:
                    throw Unrecognized($"tool_choice.{property.Name}");
            }
        }

        return ToolChoice.Function(RequireName(name, "tool_choice.name"));
    }
}
