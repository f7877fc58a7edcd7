namespace AgentApi.Web.Routes;

/// <summary>One route.</summary>
/// <param name="Name">What the orchestrator answers to choose it; the <c>route</c> of an answer.</param>
/// <param name="Description">What kind of query belongs here.</param>
/// <param name="Model">The executor model that answers asks on this route.</param>
/// <param name="Default">True for the route that takes unknown choices and fallback asks.</param>
public sealed record RouteResponse(string Name, string Description, string Model, bool Default);
