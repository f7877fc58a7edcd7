namespace AgentApi.Web.Routes;

/// <summary>One route.</summary>
/// <param name="Name">What the orchestrator answers to choose it; the <c>route</c> of an answer.</param>
/// <param name="Description">What kind of query belongs here.</param>
/// <param name="Model">The executor model that answers asks on this route first.</param>
/// <param name="Default">True for the route that takes unknown choices and fallback asks.</param>
/// <param name="Provider">The provider of <paramref name="Model"/>.</param>
/// <param name="Fallbacks">The models asked, in order, when the one before fails: <c>provider/model</c> each.</param>
public sealed record RouteResponse(string Name, string Description, string Model, bool Default, string Provider, IReadOnlyList<string> Fallbacks);
