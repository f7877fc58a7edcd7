using System.Buffers;
using System.Text.Json;
using AgentApi.Core.Providers;

namespace AgentApi.Web.Responses;

/// <summary>JSON values a response echoes that have no record of their own: a schema kept as text, the tool choice.</summary>
internal static class ResponseJson
{
    private static readonly JsonElement Auto = Parse("\"auto\"");
    private static readonly JsonElement None = Parse("\"none\"");
    private static readonly JsonElement Required = Parse("\"required\"");

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary><c>tool_choice</c> as OpenAI writes it: <c>auto</c> (also when none was given), <c>none</c>, <c>required</c>, or <c>{"type": "function", "name": …}</c>.</summary>
    public static JsonElement ToolChoice(ToolChoice? choice) => choice?.Mode switch
    {
        null or ToolChoiceMode.Auto => Auto,
        ToolChoiceMode.None => None,
        ToolChoiceMode.Required => Required,
        _ => Function(choice.Name!),
    };

    private static JsonElement Function(string name)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "function");
            writer.WriteString("name", name);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
