namespace AgentApi.Core.Routing;

/// <summary>The route table when <c>ROUTES_FILE</c> is not set: five routes, all on the executor's configured model.</summary>
public static class BuiltInRoutes
{
    public const string General = "general";
    public const string Coding = "coding";
    public const string Math = "math";
    public const string Writing = "writing";
    public const string Analysis = "analysis";

    /// <summary>The built-in table, validated like a file's.</summary>
    public static RouteTable Table { get; } = RouteTable.Create(
    [
        new(General, "Anything that fits no other route: facts, explanations, advice, everyday questions.",
            "You are a helpful, accurate assistant. Answer clearly and concisely.", IsDefault: true),
        new(Coding, "Writing, reviewing, explaining or debugging code; software design and tools.",
            "You are a senior software engineer. Answer with correct, idiomatic code and a brief explanation. Use fenced code blocks."),
        new(Math, "Calculations, equations, proofs, statistics and other quantitative problems.",
            "You are a careful mathematician. Work step by step, show the key steps, and state the final result clearly."),
        new(Writing, "Creative or professional writing: stories, poems, emails, editing or rewriting text.",
            "You are a skilled writer and editor. Produce clear, well-structured prose in the tone the request asks for."),
        new(Analysis, "Comparing options, weighing evidence, research questions and reasoned conclusions.",
            "You are a rigorous analyst. Weigh the evidence, state assumptions, and give a reasoned conclusion."),
    ], "The built-in route table");
}
