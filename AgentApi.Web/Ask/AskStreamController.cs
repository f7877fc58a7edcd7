using AgentApi.Web.OpenApi;
using AgentApi.Web.Pipeline;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AgentApi.Web.Ask;

/// <summary>Streams answers as server-sent events while the executor writes them.</summary>
[ApiController]
[Route("api")]
[Tags("Ask")]
[Authorize]
public sealed class AskStreamController : ControllerBase
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
    [Consumes("application/json")]
    [RequestSizeLimit(RequestRules.MaxBodyBytes)]
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
    public async Task StreamAsync(AskRequest request) =>
        await HttpContext.RunAskAsync(request.ToQuery(), ApiAskDoor.For(HttpContext, streams: true));
}
