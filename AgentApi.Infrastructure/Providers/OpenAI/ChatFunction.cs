using System.Text.Json;

namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>A function tool: the caller's name, description and parameters' JSON Schema, as given.</summary>
internal sealed record ChatFunction(string Name, string? Description, JsonElement? Parameters, bool? Strict);
