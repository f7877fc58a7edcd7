using AgentApi.Core.Orchestration;

namespace AgentApi.Core.Execution;

/// <summary>The executor's system instruction for each route.</summary>
public static class RouteInstructions
{
    public static string For(string route) => route switch
    {
        Routes.Coding => "You are a senior software engineer. Answer with correct, idiomatic code and a brief explanation. Use fenced code blocks.",
        Routes.Math => "You are a careful mathematician. Work step by step, show the key steps, and state the final result clearly.",
        Routes.Writing => "You are a skilled writer and editor. Produce clear, well-structured prose in the tone the request asks for.",
        Routes.Analysis => "You are a rigorous analyst. Weigh the evidence, state assumptions, and give a reasoned conclusion.",
        _ => "You are a helpful, accurate assistant. Answer clearly and concisely.",
    };
}
