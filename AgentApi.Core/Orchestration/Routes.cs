namespace AgentApi.Core.Orchestration;

/// <summary>
/// The routes the orchestrator may choose. Each route selects the executor's instructions; an
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

    /// <summary>The executor's system instruction for a route.</summary>
    public static string ExecutorInstruction(string route) => route switch
    {
        Coding => "You are a senior software engineer. Answer with correct, idiomatic code and a brief explanation. Use fenced code blocks.",
        Math => "You are a careful mathematician. Work step by step, show the key steps, and state the final result clearly.",
        Writing => "You are a skilled writer and editor. Produce clear, well-structured prose in the tone the request asks for.",
        Analysis => "You are a rigorous analyst. Weigh the evidence, state assumptions, and give a reasoned conclusion.",
        _ => "You are a helpful, accurate assistant. Answer clearly and concisely.",
    };
}
