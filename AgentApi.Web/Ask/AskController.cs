using AgentApi.Core.Ask;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace AgentApi.Web.Ask;

/// <summary>Answers questions through the orchestrator and executor.</summary>
[ApiController]
[Route("api")]
[Tags("Ask")]
public sealed class AskController(IAskService askService) : ControllerBase
{
    /// <summary>Answer a question.</summary>
    /// <remarks>
    /// The orchestrator (Gemma) routes the query and writes a focused prompt; the executor answers it.
    /// Identical questions are answered from the cache (<c>cached: true</c>); send <c>"cache": false</c>
    /// or <c>Cache-Control: no-cache</c> for a fresh answer. If the orchestrator fails the query is
    /// answered directly (<c>fallback: true</c>).
    /// </remarks>
    [HttpPost("ask", Name = "Ask")]
    [Consumes("application/json")]
    [RequestSizeLimit(AskRequest.MaxBodyBytes)]
    [ProducesResponseType<AskResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status504GatewayTimeout, "application/problem+json")]
    public async Task<ActionResult<AskResponse>> AskAsync(AskRequest request, CancellationToken cancellationToken)
    {
        var useCache = request.Cache ?? true;
        if (Request.GetTypedHeaders().CacheControl is { NoCache: true } or { NoStore: true })
        {
            useCache = false;
        }

        var result = await askService.AskAsync(new AskQuery(request.Query, request.Context, useCache), cancellationToken);
        return AskResponse.From(result, HttpContext.TraceIdentifier);
    }
}
