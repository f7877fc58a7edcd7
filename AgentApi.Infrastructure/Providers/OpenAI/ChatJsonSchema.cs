using System.Text.Json;

namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>A <c>json_schema</c> response format: its name, the caller's schema as given, strictness and description.</summary>
internal sealed record ChatJsonSchema(string Name, string? Description, JsonElement? Schema, bool? Strict);
