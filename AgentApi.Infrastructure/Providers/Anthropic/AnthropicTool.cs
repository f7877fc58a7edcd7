using System.Text.Json;

namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary>A client tool: its name, description and the JSON Schema of its <c>input</c>.</summary>
internal sealed record AnthropicTool(string Name, string? Description, JsonElement InputSchema, bool? Strict = null);
