namespace AgentApi.Core.Orchestration;

/// <summary>
/// The routes the orchestrator may choose. Each route selects the executor's instructions (<see cref="Execution.RouteInstructions"/>); an
/// unknown route from the model is treated as <see cref="General"/> rather than failing the plan.
/// </summary>
public static class Routes
{
    public const string General = "general";
    public const string Coding = "coding";
    public const string Math = "math";
    public const string Writing = "writing";
    public const string Analysis = "analysis";

    /// <summary>Route reported when the orchestrator was skipped and the query went to the executor as is.</summary>
    public const string Direct = "direct";

    public static IReadOnlyList<string> Choosable { get; } = [General, Coding, Math, Writing, Analysis];

    public static string Normalize(string? route)
    {
        var candidate = route?.Trim().ToLowerInvariant();
        return candidate switch
        {
            Coding or "code" or "programming" => Coding,
            Math or "maths" or "mathematics" => Math,
            Writing or "creative" => Writing,
            Analysis or "reasoning" or "research" => Analysis,
            _ => General,
        };
    }
}
