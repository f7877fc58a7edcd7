using System.Text.Json;
using System.Text.Json.Serialization;
using AgentApi.Core.Providers;

namespace AgentApi.Web.Responses;

/// <summary>A function tool as a response echoes it.</summary>
internal sealed record ResponseFunctionTool(string Name, string? Description, JsonElement? Parameters, bool? Strict)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "function";

    public static ResponseFunctionTool Of(ToolDefinition tool) =>
        new(tool.Name, tool.Description, tool.Parameters is { } schema ? ResponseJson.Parse(schema) : null, tool.Strict);
}
