using System.Globalization;
using AgentApi.Core.Providers;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AgentApi.Web.Errors;

/// <summary>
/// The one place exceptions become HTTP answers: provider failures map to 502/503/504 problem
/// details with a type per kind and a message that says what to do; nothing becomes a bare 500.
/// </summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, type, title, detail) = Describe(exception);
        var problem = new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail };
        if (exception is ProviderException provider)
        {
            problem.Extensions["role"] = provider.Role;
            problem.Extensions["provider"] = provider.Provider;
            if (provider.MissingSetting is not null)
            {
                problem.Extensions["setting"] = provider.MissingSetting;
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
            Log.BadRequest(logger, status, exception.Message);
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    internal static (int Status, string Type, string Title, string Detail) Describe(Exception exception) => exception switch
    {
        ProviderException { Info: var failure } p => (failure.Status, ProblemTypes.Of(failure), failure.Title, p.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (413, ProblemTypes.RequestTooLarge, "Request body too large",
            $"The request body is larger than {Ask.AskRequest.MaxBodyBytes / 1024} KiB. Send a shorter query or context."),
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => (408, ProblemTypes.RequestTimeout, "Request body too slow",
            "The request body arrived too slowly (under 240 bytes/s after 5 s). Send it at once."),
        BadHttpRequestException bad => (bad.StatusCode, ProblemTypes.BadRequest, "Bad request", "The request could not be read."),
        _ => (500, ProblemTypes.Unexpected, "Unexpected error", "Something went wrong on our side. Quote the requestId when reporting it."),
    };

    /// <summary>What the operator needs from the log line: the missing setting, or what the provider said.</summary>
    internal static string DescribeCause(ProviderException provider) => provider switch
    {
        { MissingSetting: { } missing } => $"missing setting {missing}",
        { ProviderStatusCode: { } code } => $"provider status {code}: {provider.ProviderDetail ?? "no detail"}",
        { ProviderDetail: { } detail } => detail,
        _ => "no answer from the provider",
    };
}
