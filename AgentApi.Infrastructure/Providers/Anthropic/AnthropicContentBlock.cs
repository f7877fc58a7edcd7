using System.Text.Json;

namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary>
/// A content block of a request message: <c>text</c> (<see cref="Text"/>), <c>tool_use</c> in an assistant turn
/// (<see cref="Id"/>, <see cref="Name"/>, <see cref="Input"/> as a JSON object) or <c>tool_result</c> in a user turn
/// (<see cref="ToolUseId"/>, <see cref="Content"/>).
/// </summary>
internal sealed record AnthropicContentBlock(
    string Type,
    string? Text = null,
    string? Id = null,
    string? Name = null,
    JsonElement? Input = null,
    string? ToolUseId = null,
    string? Content = null)
{
    public static AnthropicContentBlock TextBlock(string text) => new("text", Text: text);

    public static AnthropicContentBlock ToolUse(string id, string name, JsonElement input) => new("tool_use", Id: id, Name: name, Input: input);

    /// <summary>A tool's result; an empty result is sent without <c>content</c>, which is optional.</summary>
    public static AnthropicContentBlock ToolResult(string toolUseId, string content) =>
        new("tool_result", ToolUseId: toolUseId, Content: content.Length == 0 ? null : content);
}
