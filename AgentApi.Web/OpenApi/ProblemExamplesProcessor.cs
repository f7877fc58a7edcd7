using AgentApi.Core.Providers;
using AgentApi.Web.Ask;
using AgentApi.Web.Errors;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace AgentApi.Web.OpenApi;

/// <summary>
/// Gives each problem response its own example, of its own status: an example on the shared
/// <c>ProblemDetails</c> schema would show under every status that uses it (Swagger UI showed the 503
/// <c>provider-not-configured</c> under 413, 429, 502 and 504). The texts are the ones the service writes.
/// </summary>
internal sealed class ProblemExamplesProcessor : IOperationProcessor
{
    private const string ProblemJson = "application/problem+json";
    private const string RequestId = "0199a0f5c1e27d3b8e4f5a6b7c8d9e0f";
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static readonly Dictionary<string, Dictionary<string, object>> Examples = new()
    {
        ["400"] = Problem(ProblemTypes.Validation, "The request is not valid", 400, "See errors for what to fix in each field.",
            ("errors", new Dictionary<string, string[]> { ["query"] = ["Query is required and must not be blank."] })),
        ["413"] = Problem(ProblemTypes.RequestTooLarge, "Request body too large", 413,
            ProblemDetailsExceptionHandler.RequestTooLargeDetail),
        ["429"] = Problem(ProblemTypes.CallerRateLimited, "Too many requests", 429,
            "This caller sent too many requests. Wait retryAfterSeconds (also in Retry-After) and retry.", ("retryAfterSeconds", 10)),
        ["502"] = Problem(ProblemTypes.Of(ProviderFailures.Of(ProviderFailure.UpstreamError)), "Provider error", 502, "The executor provider failed (HTTP 500) after retries. Try again later.",
            ("role", "executor"), ("provider", "openai")),
        ["503"] = Problem(ProblemTypes.Of(ProviderFailures.Of(ProviderFailure.NotConfigured)), "Provider not configured", 503,
            "The executor (openai) is not configured: set OPENAI_API_KEY and restart the service.",
            ("role", "executor"), ("provider", "openai"), ("setting", "OPENAI_API_KEY"), ("settings", new[] { "OPENAI_API_KEY" })),
        ["504"] = Problem(ProblemTypes.Of(ProviderFailures.Of(ProviderFailure.Timeout)), "Provider timed out", 504,
            "The executor provider did not answer within 30 s (3 attempts). Try again later.", ("role", "executor"), ("provider", "openai")),
    };

    public bool Process(OperationProcessorContext context)
    {
        foreach (var (status, response) in context.OperationDescription.Operation.Responses)
        {
            if (response.Content.TryGetValue(ProblemJson, out var media) && Examples.TryGetValue(status, out var example))
            {
                media.Example = example;
            }
        }

        return true;
    }

    private static Dictionary<string, object> Problem(string type, string title, int status, string detail, params (string Name, object Value)[] extensions)
    {
        var problem = new Dictionary<string, object> { ["type"] = type, ["title"] = title, ["status"] = status, ["detail"] = detail, ["requestId"] = RequestId, ["traceId"] = TraceId };
        foreach (var (name, value) in extensions)
        {
            problem[name] = value;
        }

        return problem;
    }
}
