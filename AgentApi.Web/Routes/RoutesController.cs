using AgentApi.Core.Providers;
using AgentApi.Core.Routing;
using Microsoft.AspNetCore.Mvc;

namespace AgentApi.Web.Routes;

/// <summary>The routes the orchestrator chooses from.</summary>
[ApiController]
[Route("api")]
[Tags("Routes")]
public sealed class RoutesController(RouteTable routes, [FromKeyedServices(ModelRole.Executor)] IChatModel executor) : ControllerBase
{
    /// <summary>List the routes.</summary>
    /// <remarks>
    /// Each route's name, what belongs there, the executor model that answers it and whether it is the
    /// default (which takes unknown choices and fallback asks). The executor's instructions are not shown.
    /// </remarks>
    /// <response code="200">The route table, in the order the orchestrator reads it.</response>
    [HttpGet("routes", Name = "GetRoutes")]
    [ProducesResponseType<RouteListResponse>(StatusCodes.Status200OK)]
    public RouteListResponse GetRoutes() =>
        new([.. routes.Routes.Select(route => new RouteResponse(route.Name, route.Description, route.Model ?? executor.Info.Model, route.IsDefault))]);
}
