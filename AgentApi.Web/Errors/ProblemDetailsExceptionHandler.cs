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

            Log.ProviderFailed(logger, provider.Role, provider.Provider, provider.Failure, status, provider.ProviderStatusCode, provider.ProviderDetail);
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

    private static (int Status, string Type, string Title, string Detail) Describe(Exception exception) => exception switch
    {
        ProviderException p => p.Failure switch
        {
            ProviderFailure.NotConfigured => (503, ProblemTypes.NotConfigured, "Provider not configured", p.Message),
            ProviderFailure.Unavailable => (503, ProblemTypes.ProviderUnavailable, "Provider unavailable", p.Message),
            ProviderFailure.RateLimited => (503, ProblemTypes.ProviderRateLimited, "Provider rate limit reached", p.Message),
            ProviderFailure.QuotaExhausted => (503, ProblemTypes.ProviderQuotaExhausted, "Provider quota exhausted", p.Message),
            ProviderFailure.CircuitOpen => (503, ProblemTypes.CircuitOpen, "Provider paused after repeated failures", p.Message),
            ProviderFailure.Timeout => (504, ProblemTypes.ProviderTimeout, "Provider timed out", p.Message),
            ProviderFailure.ContentFiltered => (502, ProblemTypes.ContentFiltered, "Answer withheld by the provider", p.Message),
            ProviderFailure.InvalidResponse => (502, ProblemTypes.ProviderInvalidResponse, "Unusable answer from the provider", p.Message),
            ProviderFailure.Rejected => (502, ProblemTypes.ProviderRejected, "Provider rejected the gateway's request", p.Message),
            _ => (502, ProblemTypes.ProviderError, "Provider error", p.Message),
        },
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (413, ProblemTypes.RequestTooLarge, "Request body too large",
            $"The request body is larger than {Ask.AskRequest.MaxBodyBytes / 1024} KiB. Send a shorter query or context."),
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => (408, ProblemTypes.RequestTimeout, "Request body too slow",
            "The request body arrived too slowly (under 240 bytes/s after 5 s). Send it at once."),
        BadHttpRequestException bad => (bad.StatusCode, ProblemTypes.BadRequest, "Bad request", "The request could not be read."),
        _ => (500, ProblemTypes.Unexpected, "Unexpected error", "Something went wrong on our side. Quote the requestId when reporting it."),
    };
}
