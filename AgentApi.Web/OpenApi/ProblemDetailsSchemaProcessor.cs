using Microsoft.AspNetCore.Mvc;
using NJsonSchema;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace AgentApi.Web.OpenApi;

/// <summary>
/// Describes the problem details AgentApi writes: the extension members the exception handler adds
/// (<c>requestId</c> always; <c>traceId</c> when the request has a trace; <c>role</c>, <c>provider</c>, <c>setting</c>, <c>settings</c>, <c>retryAfterSeconds</c> on provider
/// failures) become typed properties in generated clients, and <c>ValidationProblemDetails</c> derives straight
/// from <c>ProblemDetails</c>. MVC puts <c>HttpValidationProblemDetails</c> in between, with a second
/// <c>errors</c> that generated clients would declare twice.
/// </summary>
internal sealed class ProblemDetailsSchemaProcessor : IDocumentProcessor
{
    private const string HttpValidationProblemDetails = nameof(HttpValidationProblemDetails);

    public void Process(DocumentProcessorContext context)
    {
        var schemas = context.Document.Components.Schemas;
        if (!schemas.TryGetValue(nameof(ProblemDetails), out var problem))
        {
            return;
        }

        problem.Description = "An RFC 9457 problem. type is a urn:agentapi:problem:* URI naming the kind of failure; detail says what to do about it.";
        problem.Properties["requestId"] = new JsonSchemaProperty
        {
            Type = JsonObjectType.String,
            Description = "The request's ID, also in the X-Request-ID header; quote it when reporting a problem.",
            IsRequired = true,
        };
        problem.Properties["traceId"] = Optional(JsonObjectType.String,
            "The request's W3C trace ID (32 hex digits): the incoming traceparent's, or a new one. The trace to look up in the operator's tracing tool, and the traceId of the request's log lines.");
        problem.Properties["role"] = Optional(JsonObjectType.String, "Provider failures: the step that failed, orchestrator or executor.");
        problem.Properties["provider"] = Optional(JsonObjectType.String, "Provider failures: the failing provider's wire protocol, gemini or openai.");
        problem.Properties["setting"] = Optional(JsonObjectType.String,
            "urn:agentapi:problem:provider-not-configured: the environment variable to set for the step in role; settings lists every missing one.");
        problem.Properties["settings"] = new JsonSchemaProperty
        {
            Type = JsonObjectType.Array,
            Item = new JsonSchema { Type = JsonObjectType.String },
            Description = "urn:agentapi:problem:provider-not-configured: every environment variable to set, one per entry (both keys when neither is set).",
        };
        problem.Properties["retryAfterSeconds"] = Optional(JsonObjectType.Integer, "Seconds to wait before retrying, when the provider said so; also in the Retry-After header.");
        if (schemas.TryGetValue(nameof(ValidationProblemDetails), out var validation))
        {
            validation.AllOf.Clear();
            validation.AllOf.Add(new JsonSchema { Reference = problem });
            validation.AllOf.Add(new JsonSchema
            {
                Type = JsonObjectType.Object,
                Properties =
                {
                    ["errors"] = new JsonSchemaProperty
                    {
                        Type = JsonObjectType.Object,
                        Description = "Messages keyed by JSON field name (query, context, cache), or body when the body could not be read.",
                        AdditionalPropertiesSchema = new JsonSchema { Type = JsonObjectType.Array, Item = new JsonSchema { Type = JsonObjectType.String } },
                        IsRequired = true,
                    },
                },
            });
            validation.Description = "400: the request is not valid; errors says what to fix in each field.";
            schemas.Remove(HttpValidationProblemDetails);
        }
    }

    private static JsonSchemaProperty Optional(JsonObjectType type, string description) => new() { Type = type, Description = description };
}
