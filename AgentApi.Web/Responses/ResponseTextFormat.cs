using System.Text.Json;
using System.Text.Json.Serialization;
using AgentApi.Core.Providers;

namespace AgentApi.Web.Responses;

/// <summary><c>text.format</c>: <c>{"type": "text"}</c>, <c>{"type": "json_object"}</c> or a <c>json_schema</c> with its name and schema.</summary>
internal sealed record ResponseTextFormat(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Schema = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Strict = null)
{
    public static readonly ResponseTextFormat Text = new("text");

    public static ResponseTextFormat Of(ResponseFormat? format) => format switch
    {
        null => Text,
        { Kind: ResponseFormatKind.JsonObject } => new("json_object"),
        _ => new("json_schema", format.Name, format.Schema is { } schema ? ResponseJson.Parse(schema) : null, format.Description, format.Strict),
    };
}
