using System.Text.Json;

namespace AgentApi.Web.Pipeline;

/// <summary>
/// The two rules of OpenAI's structured outputs that a strict schema most often breaks: every object sets
/// <c>additionalProperties: false</c> and lists all its properties in <c>required</c>. Checked at the door, so the caller
/// is told which object breaks them, not given the provider's 400 as a 502.
/// </summary>
internal static class StrictJsonSchema
{
    /// <summary>What breaks the rules, naming where (<c>properties.address</c>); null when nothing does.</summary>
    public static string? Problem(JsonElement schema) => Problem(schema, "the schema's root");

    private static string? Problem(JsonElement schema, string at)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (IsObject(schema))
        {
            if (!schema.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
            {
                return $"at {at}, 'additionalProperties' is required to be supplied and to be false.";
            }

            var required = schema.TryGetProperty("required", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(item => item.GetString()).ToHashSet(StringComparer.Ordinal)
                : [];
            if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in properties.EnumerateObject())
                {
                    if (!required.Contains(property.Name))
                    {
                        return $"at {at}, 'required' is required to be supplied and to be an array including every key in properties. Missing '{Diagnostics.LogText.Cut(property.Name)}'.";
                    }

                    if (Problem(property.Value, $"properties.{Diagnostics.LogText.Cut(property.Name)}") is { } inner)
                    {
                        return inner;
                    }
                }
            }
        }

        foreach (var keyword in (ReadOnlySpan<string>)["items", "$defs", "definitions", "anyOf"])
        {
            if (!schema.TryGetProperty(keyword, out var nested))
            {
                continue;
            }

            var problem = nested.ValueKind switch
            {
                JsonValueKind.Array => nested.EnumerateArray().Select((item, index) => Problem(item, $"{keyword}[{index}]")).FirstOrDefault(found => found is not null),
                JsonValueKind.Object when keyword == "items" => Problem(nested, keyword),
                JsonValueKind.Object => nested.EnumerateObject().Select(definition => Problem(definition.Value, $"{keyword}.{Diagnostics.LogText.Cut(definition.Name)}")).FirstOrDefault(found => found is not null),
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static bool IsObject(JsonElement schema) =>
        schema.TryGetProperty("type", out var type) && (type.ValueKind == JsonValueKind.String
            ? type.GetString() == "object"
            : type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(item => item.ValueKind == JsonValueKind.String && item.GetString() == "object"));
}
