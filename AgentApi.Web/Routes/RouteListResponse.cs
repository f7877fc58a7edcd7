namespace AgentApi.Web.Routes;

/// <summary>The route table.</summary>
/// <example>
/// {
///   "routes": [
///     { "name": "general", "description": "Anything that fits no other route.", "model": "gpt-4o-mini", "default": true },
///     { "name": "coding", "description": "Writing, reviewing or debugging code.", "model": "gpt-4o", "default": false }
///   ]
/// }
/// </example>
/// <param name="Routes">The routes, in the order the orchestrator reads them.</param>
public sealed record RouteListResponse(IReadOnlyList<RouteResponse> Routes);
