using System.Globalization;
using AgentApi.Core.Providers;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.OpenAICompatible;
using AgentApi.Web.Pipeline;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AgentApi.Web.Errors;

/// <summary>
/// The one place exceptions become HTTP answers: provider failures map to 502/503/504 problem
/// details with a type per kind and a message that says what to do; nothing becomes a bare 500.
/// The problem details service writes them in the door's shape (OpenAI's under <c>/v1</c>).
/// </summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        await WriteAsync(httpContext, exception);
        return true;
    }

    /// <summary>Writes <paramref name="exception"/>'s answer and logs it once; returns the status written.</summary>
    public async Task<int> WriteAsync(HttpContext httpContext, Exception exception)
    {
        if (exception is InvalidOpenAIRequestException invalid)
        {
            // A /v1 request the reader refused: OpenAI's error names the parameter, which problem details have no field for.
            Log.RequestRefused(logger, invalid.Error.Status, invalid.Error.Code, LogText.Cut(invalid.Error.Param));
            await OpenAIErrors.Result(invalid.Error).ExecuteAsync(httpContext);
            return invalid.Error.Status;
        }

        var (status, type, title, detail) = Describe(exception);
        var problem = new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail };
        if (exception is ProviderException provider)
        {
            problem.Extensions["role"] = provider.Role;
            problem.Extensions["provider"] = provider.Provider;
            if (provider.MissingSettings is [var first, ..] settings)
            {
                // setting names one variable (of the role and provider named), for clients that read it; settings names each one.
                problem.Extensions["setting"] = first;
                problem.Extensions["settings"] = settings.ToArray();
            }

            if (provider.RetryAfter is { } retryAfter)
            {
                var seconds = (int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds));
                problem.Extensions["retryAfterSeconds"] = seconds;
                httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            Log.ProviderFailed(logger, provider.Role, provider.Provider, provider.Failure, status, DescribeCause(provider));
        }
        else if (status >= 500)
        {
            Log.UnhandledException(logger, exception);
        }
        else
        {
            Log.BadRequest(logger, status, LogText.Cut(exception.Message));
        }

        httpContext.Response.StatusCode = status;
        // Never an empty body: ProblemJsonWriter and OpenAIErrorWriter write whatever the request's Accept says
        // (text/event-stream on a stream that failed before it started), so WriteAsync always finds a writer.
        await problemDetails.WriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
        return status;
    }

    public static readonly string RequestTooLargeDetail = $"The request body is larger than {RequestRules.MaxBodyBytes / 1024} KiB. Send a shorter query or context.";

    internal static (int Status, string Type, string Title, string Detail) Describe(Exception exception) => exception switch
    {
        ProviderException { Info: var failure } p => (failure.Status, ProblemTypes.Of(failure), failure.Title, p.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (413, ProblemTypes.RequestTooLarge, "Request body too large", RequestTooLargeDetail),
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => (408, ProblemTypes.RequestTimeout, "Request body too slow",
            "The request body arrived too slowly (under 240 bytes/s after 5 s). Send it at once."),
        BadHttpRequestException bad => (bad.StatusCode, ProblemTypes.BadRequest, "Bad request", "The request could not be read."),
        _ => (500, ProblemTypes.Unexpected, "Unexpected error", "Something went wrong on our side. Quote the requestId when reporting it."),
    };

    /// <summary>What the operator needs from the log line: the missing setting, or what the provider said.</summary>
    internal static string DescribeCause(ProviderException provider) => provider switch
    {
        { MissingSettings: [_, ..] missing } => $"missing setting {string.Join(", ", missing)}",
        { ProviderStatusCode: { } code } => $"provider status {code}: {provider.ProviderDetail ?? "no detail"}",
        { ProviderDetail: { } detail } => detail,
        _ => "no answer from the provider",
    };
}
