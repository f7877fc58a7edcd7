using System.Text.Json;

namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>
/// A function the model may call. The parameters go in <c>parametersJsonSchema</c>, which takes JSON Schema as callers
/// write it; <c>parameters</c> takes only an OpenAPI subset and rejects keywords such as <c>additionalProperties</c>.
/// </summary>
internal sealed record GeminiFunctionDeclaration(string Name, string? Description, JsonElement? ParametersJsonSchema);
