using AgentApi.Web.Pipeline;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AgentApi.Web.Ask;

/// <summary>Answers questions through the orchestrator and executor.</summary>
[ApiController]
[Route("api")]
[Tags("Ask")]
[Authorize]
public sealed class AskController : ControllerBase
{
    /// <summary>Answer a question.</summary>
    /// <remarks>
    /// The orchestrator (Gemma) routes the query and writes a focused prompt; the executor answers it with
    /// the chosen route's model, instructions and limits (<c>GET /api/routes</c>).
    /// Identical questions are answered from the cache (<c>cached: true</c>); send <c>"cache": false</c>
    /// or <c>Cache-Control: no-cache</c> for a fresh answer. If the orchestrator fails the query is
    /// answered directly on the default route (<c>fallback: true</c>).
    /// </remarks>
    /// <response code="200">The answer, how it was produced and what it cost.</response>
    /// <response code="400">The body is malformed or a field is invalid; <c>errors</c> names each field (urn:agentapi:problem:validation).</response>
    /// <response code="401">No valid API key: send it as <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key</c> (urn:agentapi:problem:unauthorized).</response>
    /// <response code="413">The body is larger than 1 MiB (urn:agentapi:problem:request-too-large).</response>
    /// <response code="429">This caller is over a limit: asks per minute, asks in flight or tokens per day (urn:agentapi:problem:rate-limited, concurrency-limited, token-budget-exhausted); retry after Retry-After.</response>
    /// <response code="502">A provider failed, rejected the gateway's request or gave an unusable answer (urn:agentapi:problem:provider-error, provider-rejected, provider-invalid-response, content-filtered).</response>
    /// <response code="503">A provider is not configured, unavailable, rate-limited, out of quota or paused after repeated failures (urn:agentapi:problem:provider-not-configured, provider-unavailable, provider-rate-limited, provider-quota-exhausted, provider-circuit-open); retry after Retry-After when present.</response>
    /// <response code="504">A provider did not answer in time (urn:agentapi:problem:provider-timeout).</response>
    [HttpPost("ask", Name = "Ask")]
    [Consumes("application/json")]
    [RequestSizeLimit(RequestRules.MaxBodyBytes)]
    [ProducesResponseType<AskResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status504GatewayTimeout, "application/problem+json")]
    public async Task AskAsync(AskRequest request) =>
        await HttpContext.RunAskAsync(request.ToQuery(), ApiAskDoor.For(HttpContext, streams: false));
}
