using System.Text.Json;

namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary>
/// A content block of an answer: <c>text</c>, <c>tool_use</c> (<see cref="Input"/> is a JSON object) or one AgentApi
/// skips (<c>thinking</c>, <c>redacted_thinking</c>, server tools' blocks), whose other fields are not read.
/// </summary>
internal sealed record AnthropicResponseBlock(string Type, string? Text = null, string? Id = null, string? Name = null, JsonElement? Input = null);
