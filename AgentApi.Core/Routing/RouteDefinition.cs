namespace AgentApi.Core.Routing;

/// <summary>One route of the <see cref="RouteTable"/>: what kind of query belongs there, and how the executor answers it.</summary>
/// <param name="Name">What the orchestrator answers to choose the route; also the <c>route</c> of the response and of the metrics.</param>
/// <param name="Description">What kind of query belongs here; the orchestrator reads it to choose.</param>
/// <param name="Instructions">The executor's system message.</param>
/// <param name="IsDefault">True for the one route that takes unknown or missing choices and fallback asks.</param>
/// <param name="Model">
/// The executor model for this route: <c>provider/model</c>, or a bare model id for the built-in <c>openai</c> provider; null for
/// the executor's configured model (<c>OPENAI_EXECUTOR_MODEL</c>).
/// </param>
/// <param name="MaxOutputTokens">The executor's output limit for this route; null for the pipeline's default.</param>
/// <param name="Temperature">The executor's sampling temperature (0 to 2); null for the provider's default.</param>
public sealed record RouteDefinition(
    string Name,
    string Description,
    string Instructions,
    bool IsDefault = false,
    string? Model = null,
    int? MaxOutputTokens = null,
    double? Temperature = null)
{
    /// <summary>Who answers, in order, when the model before is down: <c>provider/model</c> each.</summary>
    public IReadOnlyList<string> Fallbacks { get; init; } = [];
}
