using AgentApi.Web.Diagnostics;
using AgentApi.Web.Errors;
using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace AgentApi.Web.OpenApi;

/// <summary>
/// Documents the headers the middleware adds: <c>X-Request-ID</c> and <c>Server-Timing</c> on every
/// response (<see cref="RequestContextMiddleware"/>) and <c>Retry-After</c> on 503 when the provider said when to retry
/// (<see cref="ProblemDetailsExceptionHandler"/>), <c>Retry-After</c> and <c>RateLimit-*</c> on 429 and <c>WWW-Authenticate</c> on 401 (Callers/). They are written inline: NSwag cannot reference
/// <c>components/headers</c> correctly.
/// </summary>
internal sealed class ResponseHeadersProcessor : IOperationProcessor
{
    private static readonly (string Name, string Description)[] RateLimitHeaders =
    [
        ("RateLimit-Limit", "The limit this caller ran into: asks per minute, asks in flight or tokens per UTC day."),
        ("RateLimit-Remaining", "What is left of it: 0."),
        ("RateLimit-Reset", "Seconds until it resets."),
    ];

    public bool Process(OperationProcessorContext context)
    {
        foreach (var (status, response) in context.OperationDescription.Operation.Responses)
        {
            AddCommonHeaders(response);
            if (status == "503")
            {
                response.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before retrying, when the provider said so.",
                    Schema = new JsonSchema { Type = JsonObjectType.Integer, Minimum = 1 },
                };
            }

            if (status == "429")
            {
                response.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds until the limit lets this caller ask again.",
                    Schema = new JsonSchema { Type = JsonObjectType.Integer, Minimum = 1 },
                };
                foreach (var (name, description) in RateLimitHeaders)
                {
                    response.Headers[name] = new OpenApiHeader { Description = description, Schema = new JsonSchema { Type = JsonObjectType.Integer, Minimum = 0 } };
                }
            }

            if (status == "401")
            {
                AddChallengeHeader(response);
            }
        }

        return true;
    }

    /// <summary><c>X-Request-ID</c> and <c>Server-Timing</c>, on every response; also of the endpoints mapped outside MVC (<see cref="MappedEndpointsProcessor"/>).</summary>
    internal static void AddCommonHeaders(OpenApiResponse response)
    {
        response.Headers[RequestId.HeaderName] = new OpenApiHeader
        {
            Description = "The request's ID: the caller's own when sane (at most 64 of [A-Za-z0-9._-]), otherwise a new one.",
            Schema = new JsonSchema { Type = JsonObjectType.String, MaxLength = RequestId.MaxLength },
        };

        response.Headers[ServerTiming.HeaderName] = new OpenApiHeader
        {
            Description = "W3C Server-Timing, in milliseconds: total;dur=… on every response; an answered ask adds orchestrator;dur=… (desc=fallback when bypassed) and executor;dur=…, a cached one cache;desc=hit or coalesced instead.",
            Schema = new JsonSchema { Type = JsonObjectType.String },
        };
    }

    /// <summary><c>WWW-Authenticate</c>, on a 401.</summary>
    internal static void AddChallengeHeader(OpenApiResponse response) =>
        response.Headers["WWW-Authenticate"] = new OpenApiHeader
        {
            Description = "Bearer: send the caller key as a bearer token (or in X-API-Key).",
            Schema = new JsonSchema { Type = JsonObjectType.String },
        };
}
