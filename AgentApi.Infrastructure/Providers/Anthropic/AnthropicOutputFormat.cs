using System.Text.Json;

namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary><c>output_config.format</c>: <c>{"type": "json_schema", "schema": {…}}</c>.</summary>
internal sealed record AnthropicOutputFormat(string Type, JsonElement Schema);
