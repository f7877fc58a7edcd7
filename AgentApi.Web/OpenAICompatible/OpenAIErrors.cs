using System.Text.Json;
using AgentApi.Core.Providers;
using AgentApi.Web.Errors;
using Microsoft.AspNetCore.Mvc;

using AgentApi.Web.Pipeline;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// Every <c>/v1</c> error in OpenAI's shape. The service's errors are problem details built in one place each (the
/// exception handler, the status code pages, caller keys and limits); under <c>/v1</c> they are rendered here
/// instead, keeping their status, message and <c>Retry-After</c>. Provider failures keep the status of the one
/// failure table and get its problem type as <c>code</c> (<c>provider_timeout</c>, …).
/// </summary>
internal static class OpenAIErrors
{
    public const string PathPrefix = "/v1";
    public const string ServerError = "server_error";
    public const string RateLimitExceeded = "rate_limit_exceeded";

    public static bool Applies(HttpRequest request) => request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>A problem (from the exception handler, status code pages or caller limits) as OpenAI's error.</summary>
    public static OpenAIError From(ProblemDetails problem, HttpContext context)
    {
        var status = problem.Status ?? context.Response.StatusCode;
        var request = context.Request;
        var code = problem.Type is { } type && type.StartsWith(ProblemTypes.Prefix, StringComparison.Ordinal)
            ? CodeOf(type[ProblemTypes.Prefix.Length..])
            : null;
        return status switch
        {
            StatusCodes.Status401Unauthorized => new(status, problem.Detail ?? "Incorrect API key provided. Send your key as 'Authorization: Bearer <key>'.",
                OpenAIError.InvalidRequest, null, "invalid_api_key"),
            StatusCodes.Status404NotFound => new(status, problem.Detail ?? $"Invalid URL ({request.Method} {request.Path}).", OpenAIError.InvalidRequest, null, "unknown_url"),
            StatusCodes.Status405MethodNotAllowed => new(status, problem.Detail ?? $"Invalid method for URL ({request.Method} {request.Path}).", OpenAIError.InvalidRequest, null, "method_not_allowed"),
            StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
            StatusCodes.Status429TooManyRequests => new(status, problem.Detail ?? "Too many requests. Retry after the time in Retry-After.", RateLimitExceeded, null, RateLimitExceeded),
            >= 500 => new(status, problem.Detail ?? "The server had an error while processing your request.", ServerError, null, code),
            _ => new(status, problem.Detail ?? problem.Title ?? "The request could not be read.", OpenAIError.InvalidRequest, null, code),
        };
    }

    /// <summary>A failure after a stream began: a provider's as <see cref="From(ProviderException)"/>, anything else the server's.</summary>
    public static OpenAIError AfterStart(Exception exception) => exception is ProviderException provider
        ? From(provider)
        : new OpenAIError(StatusCodes.Status500InternalServerError, "The server had an error while processing your request.", ServerError, null, "unexpected");

    /// <summary>A provider failure after the stream began: the same status, message and code as before it.</summary>
    public static OpenAIError From(ProviderException exception)
    {
        var failure = exception.Info;
        return new(failure.Status, exception.Message, ServerError, null, CodeOf(failure.ProblemType));
    }

    /// <summary>A problem type's name as an OpenAI error code: <c>provider-timeout</c> → <c>provider_timeout</c>.</summary>
    private static string CodeOf(string problemType) => problemType.Replace('-', '_');

    public static OpenAIError InvalidJson { get; } = OpenAIError.BadRequest(
        "We could not parse the JSON body of your request: it is not valid JSON. Send a JSON object with 'model' and 'messages'.", null, "invalid_json");

    public static OpenAIError UnsupportedMediaType { get; } = new(StatusCodes.Status415UnsupportedMediaType,
        "The request body must be JSON, sent with 'Content-Type: application/json'.", OpenAIError.InvalidRequest, null, "unsupported_media_type");

    public static IResult Result(OpenAIError error) =>
        TypedResults.Json(OpenAIErrorResponse.From(error), JsonWire.OpenAI.OpenAIErrorResponse, statusCode: error.Status);

    public static string Serialize(OpenAIError error) =>
        JsonSerializer.Serialize(OpenAIErrorResponse.From(error), JsonWire.OpenAI.OpenAIErrorResponse);
}
