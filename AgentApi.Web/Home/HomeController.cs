using AgentApi.Web.Diagnostics;
using AgentApi.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace AgentApi.Web.Home;

/// <summary>The service's front door.</summary>
[ApiController]
[Route("")]
[Tags("Service")]
public sealed class HomeController(ServiceInfo service) : ControllerBase
{
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>Name, version and links to the other endpoints.</summary>
    /// <response code="200">What this service is and where its endpoints are.</response>
    [HttpGet(Name = "GetServiceDescription")]
    [ProducesResponseType<ServiceDescription>(StatusCodes.Status200OK)]
    public ServiceDescription Get() => new(
        ServiceInfo.Name,
        service.Version,
        "Answers questions in two steps: a small orchestrator model writes a focused prompt, a stronger executor model answers it.",
        new Dictionary<string, string>
        {
            ["ask"] = "/api/ask",
            ["askStream"] = "/api/ask/stream",
            ["routes"] = "/api/routes",
            ["chatCompletions"] = "/v1/chat/completions",
            ["models"] = "/v1/models",
            ["health"] = "/healthz",
            ["cacheHealth"] = "/healthz/cache",
            ["ready"] = ObservabilityExtensions.ReadinessPath,
            ["metrics"] = ObservabilityExtensions.MetricsPath,
            ["docs"] = "/docs",
            ["openApi"] = OpenApiPath,
        });
}
