using System.Diagnostics;
using System.Net;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers.Resilience;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// What both providers' models share: the configuration check, per-call state, logging, and the
/// translation of every transport or HTTP failure into a <see cref="ProviderException"/> whose
/// message is safe to show a caller.
/// </summary>
internal abstract class ProviderChatModel(ProviderChannel channel, ProviderPolicies policies, ILogger logger, TimeProvider timeProvider) : IChatModel
{
    protected ProviderChannel Channel { get; } = channel;

    public ChatModelStatus Status => new(Channel.Role, Channel.Protocol, Channel.Model, Channel.MissingSetting, policies.StateOf(Channel.Role));

    public async Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        if (Channel.MissingSetting is not null)
        {
            throw Failure(ProviderFailure.NotConfigured, $"The {Channel.Role} is not configured: set {Channel.MissingSetting} and restart the service.", missingSetting: Channel.MissingSetting);
        }

        var call = new ProviderCall(request.Deadline);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var completion = await SendAsync(request, call, cancellationToken) with { Attempts = call.Attempts };
            Log.ProviderCallSucceeded(logger, Channel.Role, Channel.Protocol, completion.Model, call.Attempts, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                completion.Usage.Input, completion.Usage.Output, completion.FinishReason);
            return completion;
        }
        catch (ApiException ex) when (ex.InnerException is OperationCanceledException cancelled)
        {
            // Refit wraps a cancellation that hits while it reads the body; the caller must see it as one.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cancelled);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failure = Translate(ex, call);
            failure.Attempts = call.Attempts;
            Log.ProviderCallFailed(logger, Channel.Role, Channel.Protocol, Channel.Model, call.Attempts, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                failure.Failure, failure.ProviderStatusCode, failure.ProviderDetail);
            throw failure;
        }
    }

    /// <summary>Sends one request through the provider's Refit client and maps its answer.</summary>
    protected abstract Task<ChatCompletion> SendAsync(ChatRequest request, ProviderCall call, CancellationToken cancellationToken);

    /// <summary>Unwraps a Refit response: a failure status or an unreadable body becomes a <see cref="ProviderException"/>.</summary>
    protected T ContentOf<T>(IApiResponse<T> response, ProviderCall call)
        where T : class
    {
        if (response.StatusCode is null || response.Headers is null)
        {
            // No response at all: Refit reports the transport failure (network error, Polly timeout,
            // open circuit) in Error; rethrow the original so it is translated like a thrown one.
            Exception cause = response.Error?.InnerException ?? (Exception?)response.Error ?? new HttpRequestException("No response from the provider.");
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
        }

        var status = response.StatusCode.GetValueOrDefault();

        if (!response.IsSuccessStatusCode)
        {
            throw FromStatus(status, response.Headers, call.LastErrorBody ?? (response.Error as ApiException)?.Content);
        }

        if (response.Error is not null || response.Content is null)
        {
            throw InvalidResponse("returned a response that could not be read", (response.Error as ApiException)?.Content ?? response.Error?.Message, response.Error);
        }

        return response.Content;
    }

    protected ProviderException InvalidResponse(string what, string? detail = null, Exception? inner = null) =>
        Failure(ProviderFailure.InvalidResponse, $"The {Channel.Role} model {what}. Try again; if it persists the provider may be degraded.",
            detail: ProviderErrorBody.Describe(detail, Channel.ApiKey), inner: inner, status: 200);

    private ProviderException FromStatus(HttpStatusCode status, System.Net.Http.Headers.HttpResponseHeaders headers, string? body)
    {
        var code = (int)status;
        var detail = ProviderErrorBody.Describe(body, Channel.ApiKey);
        var retryAfter = ProviderFaults.RetryAfter(headers, body, timeProvider.GetUtcNow());
        var role = Channel.Role;
        return status switch
        {
            HttpStatusCode.TooManyRequests when ProviderFaults.IsPermanentLimit(body) => Failure(ProviderFailure.QuotaExhausted,
                $"The {role} provider's quota for this service is exhausted; waiting will not help. The operator must raise the quota or billing limit.", detail, status: code),
            HttpStatusCode.TooManyRequests => Failure(ProviderFailure.RateLimited,
                $"The {role} provider is rate limiting this service. Retry after the indicated delay.", detail, retryAfter ?? TimeSpan.FromSeconds(5), status: code),
            HttpStatusCode.ServiceUnavailable => Failure(ProviderFailure.Unavailable,
                $"The {role} provider is overloaded or unavailable. Retry after the indicated delay.", detail, retryAfter ?? TimeSpan.FromSeconds(5), status: code),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Failure(ProviderFailure.Rejected,
                $"The {role} provider rejected this service's credentials. The operator must check {KeyVariable}.", detail, status: code),
            HttpStatusCode.BadRequest when body?.Contains("API_KEY_INVALID", StringComparison.Ordinal) == true || body?.Contains("API key not valid", StringComparison.Ordinal) == true => Failure(ProviderFailure.Rejected,
                $"The {role} provider rejected this service's credentials. The operator must check {KeyVariable}.", detail, status: code),
            _ when code >= 500 || status == HttpStatusCode.RequestTimeout => Failure(ProviderFailure.UpstreamError,
                $"The {role} provider failed (HTTP {code}) after retries. Try again later.", detail, retryAfter, status: code),
            _ => Failure(ProviderFailure.Rejected,
                $"The {role} provider rejected the request (HTTP {code}). This is a gateway configuration problem, not your request; the operator has the details in the logs.", detail, status: code),
        };
    }

    private string KeyVariable => Channel.ApiKeySetting;

    private ProviderException Translate(Exception exception, ProviderCall call) => exception switch
    {
        ProviderException provider => provider,
        BrokenCircuitException => Failure(ProviderFailure.CircuitOpen,
            $"The {Channel.Role} provider failed repeatedly and calls to it are paused. Retry after the indicated delay.",
            retryAfter: policies.OpenFor(Channel.Role) ?? TimeSpan.FromSeconds(1), inner: exception),
        TimeoutRejectedException => Failure(ProviderFailure.Timeout,
            $"The {Channel.Role} provider did not answer within {Channel.AttemptTimeout.TotalSeconds:0.#} s ({call.Attempts} attempts). Try again later.", inner: exception),
        HttpRequestException => Failure(ProviderFailure.UpstreamError,
            $"The {Channel.Role} provider could not be reached ({call.Attempts} attempts). Try again later.", detail: exception.Message, inner: exception),
        ApiException api => Failure(ProviderFailure.InvalidResponse,
            $"The {Channel.Role} model returned a response that could not be read.", ProviderErrorBody.Describe(api.Content, Channel.ApiKey), inner: api, status: (int)api.StatusCode),
        System.Text.Json.JsonException json => InvalidResponse("returned a response that could not be read", json.Message, json),
        _ => Failure(ProviderFailure.UpstreamError,
            $"The {Channel.Role} provider call failed unexpectedly. Try again later.", detail: exception.GetType().Name, inner: exception),
    };

    private ProviderException Failure(
        ProviderFailure failure, string message, string? detail = null, TimeSpan? retryAfter = null,
        string? missingSetting = null, Exception? inner = null, int? status = null) =>
        new(failure, Channel.Role, Channel.Protocol, message, detail, retryAfter, missingSetting, status, inner);
}
