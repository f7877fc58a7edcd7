using NJsonSchema.Generation;

namespace AgentApi.Web.OpenApi;

/// <summary>
/// Marks the properties of positional records (the response DTOs) as required: the server cannot build one
/// without every value and System.Text.Json writes every property, nulls included, so each is always present.
/// Nullability stays as the annotations say (<c>string?</c> is required and nullable).
/// Init-property request records have no such constructor and keep their own <c>[Required]</c>.
/// </summary>
internal sealed class ConstructorParametersRequiredProcessor : ISchemaProcessor
{
    public void Process(SchemaProcessorContext context)
    {
        var type = context.ContextualType.Type;
        if (!IsRecord(type))
        {
            return;
        }

        var parameters = type.GetConstructors().Select(c => c.GetParameters()).MaxBy(p => p.Length);
        if (parameters is null || parameters.Length == 0)
        {
            return;
        }

        foreach (var (name, property) in context.Schema.Properties)
        {
            if (parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                property.IsRequired = true;
            }
        }
    }

    // The compiler gives every record a clone method with this unspeakable name.
    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$") is not null;
}
