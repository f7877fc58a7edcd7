using AgentApi.Web.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace AgentApi.Web.OpenApi;

/// <summary>
/// Describes the two endpoints mapped outside MVC, which the API explorer does not see: <c>/healthz/ready</c> (ASP.NET
/// health checks, written by <c>Health/ReadinessResponse.cs</c>) and <c>/metrics</c> (the Prometheus exporter), so
/// <c>/docs</c> and the generated clients list every endpoint of the service.
/// </summary>
internal sealed class MappedEndpointsProcessor : IDocumentProcessor
{
    private const string Health = "Health";
    private const string ReadinessResponse = nameof(ReadinessResponse);
    private const string ReadinessCheck = nameof(ReadinessCheck);

    public void Process(DocumentProcessorContext context)
    {
        var document = context.Document;
        var schemas = document.Components.Schemas;
        var check = new JsonSchema
        {
            Type = JsonObjectType.Object,
            Description = "One check. Besides status and description, the check's own data: a provider's provider, model, configured, circuit and missingSetting; the cache's tiers and counters; the warm-up's asks and sent.",
            AllowAdditionalProperties = true,
            Properties =
            {
                ["status"] = new JsonSchemaProperty { Type = JsonObjectType.String, IsRequired = true, Description = "healthy, degraded or unhealthy." },
                ["description"] = new JsonSchemaProperty { Type = JsonObjectType.String, IsRequired = true, Description = "What the check found, and what to do when it is not healthy." },
            },
        };
        schemas[ReadinessCheck] = check;
        var readiness = new JsonSchema
        {
            Type = JsonObjectType.Object,
            Description = "Whether this instance should get traffic, and each check behind the verdict.",
            Properties =
            {
                ["status"] = new JsonSchemaProperty { Type = JsonObjectType.String, IsRequired = true, Description = "healthy, degraded or unhealthy: the worst of the checks." },
                ["durationMs"] = new JsonSchemaProperty { Type = JsonObjectType.Number, Format = JsonFormatStrings.Double, IsRequired = true, Description = "How long the checks took." },
                ["checks"] = new JsonSchemaProperty
                {
                    Type = JsonObjectType.Object,
                    IsRequired = true,
                    Description = "Each check by name: orchestrator, executor, cache, lifetime and warm-up.",
                    AdditionalPropertiesSchema = new JsonSchema { Reference = check },
                },
            },
        };
        schemas[ReadinessResponse] = readiness;

        document.Paths[ObservabilityExtensions.ReadinessPath] = Get(new OpenApiOperation
        {
            OperationId = "GetReadiness",
            Summary = "Readiness: whether this instance should get traffic.",
            Description = "For a load balancer's readiness probe. 503 until the warm-up has ended, while a provider key is missing and once the host "
                + "begins to stop; an open circuit is only degraded (200), since every replica shares the provider.",
            Responses =
            {
                ["200"] = Json("Ready: every check healthy or degraded.", readiness),
                ["503"] = Json("Not ready: a check is unhealthy; its description says why.", readiness),
            },
        });

        var problem = schemas.TryGetValue(nameof(ProblemDetails), out var problemSchema) ? problemSchema : null;
        var unauthorized = new OpenApiResponse { Description = "Only with METRICS_REQUIRE_KEY=true: no valid API key (urn:agentapi:problem:unauthorized)." };
        if (problem is not null)
        {
            unauthorized.Content["application/problem+json"] = new OpenApiMediaType { Schema = new JsonSchema { Reference = problem } };
        }

        ResponseHeadersProcessor.AddChallengeHeader(unauthorized);
        document.Paths[ObservabilityExtensions.MetricsPath] = Get(new OpenApiOperation
        {
            OperationId = "GetMetrics",
            Summary = "Metrics for Prometheus.",
            Description = "The AgentApi meter (asks, model calls, tokens, cost, cache, callers), the runtime's and Kestrel's, in the Prometheus "
                + "text format (OpenMetrics when the scraper asks for it). Open unless METRICS_REQUIRE_KEY=true, which asks for a caller key.",
            Responses =
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "The current values.",
                    Content = { ["text/plain"] = new OpenApiMediaType { Schema = new JsonSchema { Type = JsonObjectType.String } } },
                },
                ["401"] = unauthorized,
            },
        });
    }

    private static OpenApiPathItem Get(OpenApiOperation operation)
    {
        operation.Tags.Add(Health);
        foreach (var response in operation.Responses.Values)
        {
            ResponseHeadersProcessor.AddCommonHeaders(response);
        }

        return new OpenApiPathItem { [OpenApiOperationMethod.Get] = operation };
    }

    private static OpenApiResponse Json(string description, JsonSchema schema) => new()
    {
        Description = description,
        Content = { ["application/json"] = new OpenApiMediaType { Schema = new JsonSchema { Reference = schema } } },
    };
}
