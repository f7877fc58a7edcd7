using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers.Resilience;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using CoreCircuitState = AgentApi.Core.Providers.CircuitState;
using Refit;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// What both providers' models share: the configuration check, per-call state, logging, and the
/// translation of every transport or HTTP failure into a <see cref="ProviderException"/> whose
/// message is safe to show a caller.
/// </summary>
internal abstract class ProviderChatModel(ProviderChannel channel, ProviderPolicies policies, ILogger logger) : IChatModel
{
    protected ProviderChannel Channel { get; } = channel;

    protected ILogger Logger { get; } = logger;

    public ChatModelInfo Info { get; } = new(channel.Role, channel.Name, channel.Model, channel.MissingSetting) { Protocol = channel.Protocol };

    public CoreCircuitState Circuit => policies.StateOf(Channel, Channel.Model);

    public IReadOnlyList<ModelCircuit> Circuits => policies.CircuitsOf(Channel);

    public async Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        if (StreamsBody && Channel.Role == ModelRole.Executor)
        {
            // The executor's answer is always streamed from the provider, a buffered ask's too: the attempt is then timed to
            // the first byte and each pause in the answer to the attempt timeout, so an answer that is merely long never
            // counts against the model's circuit (docs/decisions/0004-time-limits.md). The answer is collected here.
            await foreach (var update in StreamAsync(request, cancellationToken))
            {
                if (update.Completion is { } streamed)
                {
                    return streamed;
                }
            }

            throw new ProviderException(ProviderFailure.InvalidResponse, Channel.Role, Channel.Name, $"The {Channel.Role} model's answer stream ended before it was complete. Try again.");
        }

        var call = StartCall(request, streamsBody: false);
        using var span = StartSpan(request, call, streaming: false);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var completion = await SendAsync(request, call, cancellationToken) with { Attempts = call.Attempts };
            return Succeeded(completion, call, started, span);
        }
        catch (Exception ex)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(Surface(ex, call, started, span));
            throw;
        }
    }

    /// <summary>What the caller sees of a failure: a cancellation stays one (Refit wraps one that hits while it reads the body); anything else is translated and logged.</summary>
    private Exception Surface(Exception exception, ProviderCall call, long started, Activity? span)
    {
        var surfaced = exception switch
        {
            ApiException { InnerException: OperationCanceledException cancelled } => cancelled,
            OperationCanceledException => exception,
            _ => Failed(exception, call, started),
        };
        AgentApiActivity.RecordFailure(span, surfaced, call.Attempts);
        return surfaced;
    }

    /// <summary>
    /// Failures before the first update went through the same retries, breaker and attempt timeout as a buffered
    /// call; failures after it (the stream breaks off, stalls, ends without its terminator or carries an error)
    /// are translated here the same way, so the caller always gets a <see cref="ProviderException"/>.
    /// </summary>
    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var call = StartCall(request, StreamsBody);
        return ChatStreams.RelayAsync(token => StreamCoreAsync(request, call, token), new StreamObserver(this, request, call), cancellationToken);
    }

    /// <summary>
    /// Translates a streamed call's failures and logs its end, as <see cref="CompleteAsync"/> does for a buffered one. Its
    /// span starts when the stream is first read, so the span is current while the request is sent (the HTTP spans are its
    /// children) and never outside the stream, and ends with the stream: answered, failed, or left by its reader.
    /// </summary>
    private sealed class StreamObserver(ProviderChatModel model, ChatRequest request, ProviderCall call) : ChatStreamObserver
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private Activity? _span;
        private bool _settled;

        public override CancellationToken OnStart(CancellationToken cancellationToken)
        {
            _span = model.StartSpan(request, call, streaming: true);
            return cancellationToken;
        }

        public override ChatStreamUpdate OnUpdate(ChatStreamUpdate update)
        {
            if (update.Completion is not { } completion)
            {
                return update;
            }

            _settled = true;
            return ChatStreamUpdate.Final(model.Succeeded(completion with { Attempts = call.Attempts }, call, _started, _span));
        }

        public override Exception OnFailure(Exception exception)
        {
            _settled = true;
            return model.Surface(exception, call, _started, _span);
        }

        public override void OnEnd(bool finished)
        {
            if (_span is null)
            {
                return;
            }

            if (!_settled)
            {
                // The reader left before the answer ended (the caller hung up, or the ask was abandoned).
                AgentApiActivity.RecordFailure(_span, new OperationCanceledException(), call.Attempts);
            }

            _span.Dispose();
        }
    }

    /// <summary>True when <see cref="StreamCoreAsync"/> reads the provider's body as it arrives (see <see cref="ProviderCall.StreamsBody"/>).</summary>
    protected virtual bool StreamsBody => false;

    /// <summary>
    /// Streams one answer. By default the answer is fetched whole and handed over as one update: a protocol
    /// without a streaming client (Gemini here) still serves the streaming endpoint.
    /// </summary>
    protected virtual async IAsyncEnumerable<ChatStreamUpdate> StreamCoreAsync(ChatRequest request, ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var completion = await SendAsync(request, call, cancellationToken);
        if (completion.Text.Length > 0)
        {
            yield return ChatStreamUpdate.Delta(completion.Text);
        }

        yield return ChatStreamUpdate.Final(completion);
    }

    /// <summary>A streamed response's status: a failure (already read by the attempt handler, retries spent) becomes a <see cref="ProviderException"/>.</summary>
    protected void EnsureSuccess(HttpResponseMessage response, ProviderCall call)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.IsSuccessStatusCode)
        {
            throw FromFault(call.LastFault ?? new ProviderFault(response.StatusCode, string.Empty, null, false, false), call);
        }
    }

    /// <summary>An <c>error</c> object inside a successful stream: the provider gave up mid-answer.</summary>
    protected ProviderException StreamError(ProviderCall call, string body) =>
        Failure(ProviderFailure.UpstreamError, call, $"The {Channel.Role} provider failed while writing its answer. Try again later.",
            ProviderErrorBody.Describe(body, Channel.ApiKey), status: 200);

    private ProviderCall StartCall(ChatRequest request, bool streamsBody)
    {
        var call = new ProviderCall(request.Deadline, request.Model ?? Channel.Model, streamsBody, Channel);
        return Channel.MissingSetting is null
            ? call
            : throw Failure(ProviderFailure.NotConfigured, call, $"The {Channel.Role} is not configured: set {Channel.MissingSetting} and restart the service.", missingSettings: [Channel.MissingSetting]);
    }

    /// <summary>The call's span (docs/tracing.md): null when nobody traces.</summary>
    private Activity? StartSpan(ChatRequest request, ProviderCall call, bool streaming) => AgentApiActivity.StartModelCall(
        ProviderProtocol.GenAiOperationName(Channel.Protocol), ProviderProtocol.GenAiProviderName(Channel.Protocol), Channel.Role, call.Model,
        Channel.BaseUrl, request, streaming, Channel.CaptureMessageContent, Channel.Name);

    private ChatCompletion Succeeded(ChatCompletion completion, ProviderCall call, long started, Activity? span)
    {
        AgentApiActivity.RecordCompletion(span, completion, Channel.CaptureMessageContent);
        Log.ProviderCallSucceeded(Logger, Channel.Role, Channel.Name, completion.Model, call.Attempts, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            completion.Usage.Input, completion.Usage.Output, completion.FinishReason);
        return completion;
    }

    private ProviderException Failed(Exception exception, ProviderCall call, long started)
    {
        var failure = Translate(exception, call);
        Log.ProviderCallFailed(Logger, Channel.Role, Channel.Name, call.Model, call.Url, failure.Attempts, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            failure.Failure, failure.ProviderStatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", failure.ProviderDetail ?? "none");
        return failure;
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

        if (!response.IsSuccessStatusCode)
        {
            throw FromFault(call.LastFault ?? new ProviderFault(response.StatusCode.GetValueOrDefault(), (response.Error as ApiException)?.Content ?? string.Empty, null, false, false), call);
        }

        if (response.Error is not null || response.Content is null)
        {
            throw InvalidResponse(call, "returned a response that could not be read", (response.Error as ApiException)?.Content ?? response.Error?.Message, response.Error);
        }

        return response.Content;
    }

    protected ProviderException InvalidResponse(ProviderCall call, string what, string? detail = null, Exception? inner = null) =>
        Failure(ProviderFailure.InvalidResponse, call, $"The {Channel.Role} model {what}. Try again; if it persists the provider may be degraded.",
            detail: ProviderErrorBody.Describe(detail, Channel.ApiKey), inner: inner, status: 200);

    private ProviderException FromFault(ProviderFault fault, ProviderCall call)
    {
        var status = fault.Status;
        var code = (int)status;
        var body = fault.Body;
        var detail = ProviderErrorBody.Describe(body, Channel.ApiKey);
        var role = Channel.Role;
        return status switch
        {
            HttpStatusCode.TooManyRequests when fault.IsPermanentLimit => Failure(ProviderFailure.QuotaExhausted, call,
                $"The {role} provider's quota for this service is exhausted; waiting will not help. The operator must raise the quota or billing limit.", detail, status: code),
            HttpStatusCode.TooManyRequests => Failure(ProviderFailure.RateLimited, call,
                $"The {role} provider is rate limiting this service. Retry after the indicated delay.", detail, fault.RetryAfter ?? TimeSpan.FromSeconds(5), status: code),
            HttpStatusCode.ServiceUnavailable or ProviderFaults.Overloaded => Failure(ProviderFailure.Unavailable, call,
                $"The {role} provider is overloaded or unavailable. Retry after the indicated delay.", detail, fault.RetryAfter ?? TimeSpan.FromSeconds(5), status: code),
            // Anthropic: no credit left (a 402, or a 400 whose message says so).
            _ when ProviderFaults.IsBillingFailure(status, body) => Failure(ProviderFailure.QuotaExhausted, call,
                $"The {role} provider's credit for this service is exhausted; waiting will not help. The operator must add credit or raise the billing limit.", detail, status: code),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Failure(ProviderFailure.Rejected, call,
                $"The {role} provider rejected this service's credentials. The operator must check {KeyVariable}.", detail, status: code),
            HttpStatusCode.BadRequest when body.Contains("API_KEY_INVALID", StringComparison.Ordinal) || body.Contains("API key not valid", StringComparison.Ordinal) => Failure(ProviderFailure.Rejected, call,
                $"The {role} provider rejected this service's credentials. The operator must check {KeyVariable}.", detail, status: code),
            HttpStatusCode.NotFound => Failure(ProviderFailure.Rejected, call,
                $"The {role} provider does not know the model or path this service asked for (HTTP 404). The operator must check the route's model and the provider's base URL.", detail, status: code),
            // The request itself: too long for the model, a value it does not take. Answered as the caller's 400 with the
            // provider's reason (read from its error message, keys removed), since only the caller can change it.
            HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity => Failure(ProviderFailure.InvalidRequest, call,
                detail is null ? $"The answering model rejected the request as invalid (HTTP {code})." : $"The answering model rejected the request as invalid (HTTP {code}): {OneLine(detail)}", detail, status: code),
            _ when code >= 500 || status == HttpStatusCode.RequestTimeout => Failure(ProviderFailure.UpstreamError, call,
                $"The {role} provider failed (HTTP {code}) after retries. Try again later.", detail, fault.RetryAfter, status: code),
            _ => Failure(ProviderFailure.Rejected, call,
                $"The {role} provider rejected the request (HTTP {code}). This is a gateway configuration problem, not your request; the operator has the details in the logs.", detail, status: code),
        };
    }

    private string KeyVariable => Channel.ApiKeySetting;

    /// <summary>The provider's reason as a caller reads it: one line (already cut and without the key, <see cref="ProviderErrorBody.Describe"/>).</summary>
    private static string OneLine(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = char.IsControl(source[i]) ? ' ' : source[i];
        }
    });

    private ProviderException Translate(Exception exception, ProviderCall call) => exception switch
    {
        ProviderException provider => provider,
        BrokenCircuitException => Failure(ProviderFailure.CircuitOpen, call,
            $"The {Channel.Role} provider failed repeatedly and calls to it are paused. Retry after the indicated delay.",
            retryAfter: policies.OpenFor(Channel, call.Model) ?? TimeSpan.FromSeconds(1), inner: exception),
        TimeoutRejectedException => Failure(ProviderFailure.Timeout, call,
            $"The {Channel.Role} provider did not answer within {Channel.AttemptTimeout.TotalSeconds:0.#} s ({call.Attempts} attempts). Try again later.", inner: exception),
        HttpRequestException => Failure(ProviderFailure.UpstreamError, call,
            $"The {Channel.Role} provider could not be reached ({call.Attempts} attempts). Try again later.", detail: exception.Message, inner: exception),
        ApiException api => Failure(ProviderFailure.InvalidResponse, call,
            $"The {Channel.Role} model returned a response that could not be read.", ProviderErrorBody.Describe(api.Content, Channel.ApiKey), inner: api, status: (int)api.StatusCode),
        System.Text.Json.JsonException json => InvalidResponse(call, "returned a response that could not be read", json.Message, json),
        TimeoutException => Failure(ProviderFailure.Timeout, call,
            $"The {Channel.Role} provider stopped sending its answer for more than {Channel.AttemptTimeout.TotalSeconds:0.#} s. Try again later.", detail: exception.Message, inner: exception),
        IOException => Failure(ProviderFailure.UpstreamError, call,
            $"The {Channel.Role} provider's answer broke off before it was complete. Try again later.", detail: exception.Message, inner: exception),
        _ => Failure(ProviderFailure.UpstreamError, call,
            $"The {Channel.Role} provider call failed unexpectedly. Try again later.", detail: exception.GetType().Name, inner: exception),
    };

    private ProviderException Failure(
        ProviderFailure failure, ProviderCall call, string message, string? detail = null, TimeSpan? retryAfter = null,
        IReadOnlyList<string>? missingSettings = null, Exception? inner = null, int? status = null) =>
        new(failure, Channel.Role, Channel.Name, message, detail, retryAfter, missingSettings, status, call.Attempts, inner);
}
