namespace AgentApi.Core.Providers;

/// <summary>OpenAI's <c>response_format</c>, passed to the executor only.</summary>
/// <param name="Kind">Text, JSON mode or a JSON Schema.</param>
/// <param name="Name">The schema's name (<see cref="ResponseFormatKind.JsonSchema"/> only).</param>
/// <param name="Schema">The JSON Schema as JSON text (an object), verbatim (<see cref="ResponseFormatKind.JsonSchema"/> only).</param>
/// <param name="Strict">OpenAI's strict schema adherence; null for the provider's default.</param>
/// <param name="Description">What the format is for, to the model; null for none.</param>
public sealed record ResponseFormat(ResponseFormatKind Kind, string? Name = null, string? Schema = null, bool? Strict = null, string? Description = null)
{
    public static readonly ResponseFormat JsonObject = new(ResponseFormatKind.JsonObject);

    public static ResponseFormat JsonSchema(string name, string schema, bool? strict = null, string? description = null) =>
        new(ResponseFormatKind.JsonSchema, name, schema, strict, description);
}
