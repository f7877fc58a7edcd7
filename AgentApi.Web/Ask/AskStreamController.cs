using AgentApi.Core.Ask;
using AgentApi.Core.Providers;
using AgentApi.Web.Callers;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.Errors;
using AgentApi.Web.OpenApi;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Ask;

/// <summary>Streams answers as server-sent events while the executor writes them.</summary>
[ApiController]
[Route("api")]
[Tags("Ask")]
[Authorize]
public sealed class AskStreamController(
    IAskService askService,
    IOptions<AskStreamOptions> options,
    IOptions<JsonOptions> jsonOptions,
    TimeProvider timeProvider,
    ILogger<AskStreamController> logger) : ControllerBase
{
    /// <summary>Answer a question, streaming the answer as it is written.</summary>
    /// <remarks>
    /// Same body, validation and cache rules as <c>POST /api/ask</c>. The answer comes as <c>text/event-stream</c>:
    /// <c>plan</c>, then <c>delta</c> events with the executor's text as it arrives, then <c>done</c>; a failure after the
    /// stream started is an <c>error</c> event instead of <c>done</c>. Nothing is sent until the executor's first text, so
    /// a failure before it is the same problem details <c>/api/ask</c> answers. A cached answer is replayed as <c>plan</c>
    /// (<c>cached: true</c>), one <c>delta</c> and <c>done</c>. Comment lines (<c>: keep-alive</c>) are heartbeats; ignore them.
    /// </remarks>
    /// <response code="200">The event stream (see the <c>AskStream*Event</c> schemas).</response>
    /// <response code="400">The body is malformed or a field is invalid; <c>errors</c> names each field (urn:agentapi:problem:validation).</response>
    /// <response code="401">No valid API key: send it as <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key</c> (urn:agentapi:problem:unauthorized).</response>
    /// <response code="413">The body is larger than 1 MiB (urn:agentapi:problem:request-too-large).</response>
    /// <response code="429">Too many requests from this caller; wait and retry.</response>
    /// <response code="502">A provider failed, rejected the gateway's request or gave an unusable answer before the first text (urn:agentapi:problem:provider-error, provider-rejected, provider-invalid-response, content-filtered).</response>
    /// <response code="503">A provider is not configured, unavailable, rate-limited, out of quota or paused after repeated failures (urn:agentapi:problem:provider-not-configured, provider-unavailable, provider-rate-limited, provider-quota-exhausted, provider-circuit-open); retry after Retry-After when present.</response>
    /// <response code="504">A provider did not answer in time (urn:agentapi:problem:provider-timeout).</response>
    [HttpPost("ask/stream", Name = "AskStream")]
    [ServiceFilter<CallerLimitsFilter>]
    [Consumes("application/json")]
    [RequestSizeLimit(AskRequest.MaxBodyBytes)]
    [ServerSentEvent(AskStreamEvents.Plan, typeof(AskStreamPlanEvent))]
    [ServerSentEvent(AskStreamEvents.Delta, typeof(AskStreamDeltaEvent))]
    [ServerSentEvent(AskStreamEvents.Done, typeof(AskStreamDoneEvent))]
    [ServerSentEvent(AskStreamEvents.Error, typeof(AskStreamErrorEvent))]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status504GatewayTimeout, "application/problem+json")]
    public async Task StreamAsync(AskRequest request, CancellationToken cancellationToken)
    {
        await using var events = askService.StreamAsync(AskQueries.From(request, Request), cancellationToken).GetAsyncEnumerator(cancellationToken);

        // Hold the status line until the executor's first text (or a whole cached replay): until then a failure
        // propagates to the exception handler and is the same problem+json /api/ask answers, with retries spent.
        var held = new List<AskStreamEvent>();
        while (held.LastOrDefault() is not (AskStreamDelta or AskStreamDone) && await events.MoveNextAsync())
        {
            held.Add(events.Current);
        }

        await using var stream = new ServerSentEventStream(Response, jsonOptions.Value.JsonSerializerOptions, timeProvider);
        try
        {
            await stream.StartAsync(options.Value.HeartbeatInterval, cancellationToken);
            foreach (var update in held)
            {
                await WriteAsync(stream, update, cancellationToken);
            }

            while (await events.MoveNextAsync())
            {
                await WriteAsync(stream, events.Current, cancellationToken);
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The caller left; the provider call was cancelled with the request. There is no one to tell.
        }
        catch (Exception ex)
        {
            // The status line is out: the failure becomes the stream's last event, never a silent end that looks complete.
            var (status, type, title, detail) = ProblemDetailsExceptionHandler.Describe(ex);
            var provider = ex as ProviderException;
            if (provider is not null)
            {
                Log.StreamFailed(logger, provider.Role, provider.Provider, provider.Failure, type, ProblemDetailsExceptionHandler.DescribeCause(provider));
            }
            else
            {
                Log.UnhandledException(logger, ex);
            }

            await stream.WriteEventAsync(
                AskStreamEvents.Error,
                new AskStreamErrorEvent(type, title, status, detail, HttpContext.TraceIdentifier, provider?.Role, provider?.Provider),
                cancellationToken);
        }
    }

    private Task WriteAsync(ServerSentEventStream stream, AskStreamEvent update, CancellationToken cancellationToken)
    {
        var requestId = HttpContext.TraceIdentifier;
        switch (update)
        {
            case AskStreamPlan plan:
                return stream.WriteEventAsync(AskStreamEvents.Plan, new AskStreamPlanEvent(requestId, plan.Route, plan.RefinedPrompt, plan.Fallback, plan.FallbackReason, plan.Cached), cancellationToken);
            case AskStreamDelta delta:
                return stream.WriteEventAsync(AskStreamEvents.Delta, new AskStreamDeltaEvent(delta.Text), cancellationToken);
            case AskStreamDone done:
                HttpContext.Features.Get<RequestTelemetry>()?.Ask = done.Result;
                return stream.WriteEventAsync(AskStreamEvents.Done, AskStreamDoneEvent.From(done.Result, requestId), cancellationToken);
            default:
                throw new InvalidOperationException($"Unknown stream event {update.GetType().Name}.");
        }
    }
}
