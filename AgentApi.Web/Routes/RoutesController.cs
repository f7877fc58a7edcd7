using AgentApi.Core.Providers;
using AgentApi.Core.Routing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AgentApi.Web.Routes;

/// <summary>The routes the orchestrator chooses from: names, descriptions and models an operator may not want to show anyone, so caller keys guard them as they do the asks.</summary>
[ApiController]
[Route("api")]
[Tags("Routes")]
[Authorize]
public sealed class RoutesController(RouteTable routes, [FromKeyedServices(ModelRole.Executor)] IChatModel executor) : ControllerBase
{
    /// <summary>List the routes.</summary>
    /// <remarks>
    /// Each route's name, what belongs there, the executor model (and provider) that answers it, its fallbacks and whether it
    /// is the default (which takes unknown choices and fallback asks). The executor's instructions are not shown.
    /// </remarks>
    /// <response code="200">The route table, in the order the orchestrator reads it.</response>
    /// <response code="401">No valid API key: send it as <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key</c> (urn:agentapi:problem:unauthorized).</response>
    [HttpGet("routes", Name = "GetRoutes")]
    [ProducesResponseType<RouteListResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    public RouteListResponse GetRoutes() => new([.. routes.Routes.Select(route =>
    {
        var targets = routes.TargetsOf(route, new ModelTarget(executor.Info.Provider, executor.Info.Model));
        return new RouteResponse(route.Name, route.Description, targets[0].Model, route.IsDefault, targets[0].Provider, [.. targets.Skip(1).Select(target => target.ToString())]);
    })]);
}
