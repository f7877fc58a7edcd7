using Microsoft.Extensions.Logging;

namespace AgentApi.Core;

/// <summary>Source-generated log methods of the ask pipeline. Event ids 1000–1099.</summary>
internal static partial class Log
{
    // User text is logged only at Debug, truncated.
    [LoggerMessage(1000, LogLevel.Debug, "Ask started: query {Query} ({ContextLength} context chars, cache {UseCache})")]
    public static partial void AskStarted(ILogger logger, string query, int contextLength, bool useCache);

    [LoggerMessage(1001, LogLevel.Debug, "Orchestrator chose route {Route} ({PromptLength} prompt chars, {Tokens} tokens)")]
    public static partial void Orchestrated(ILogger logger, string route, int promptLength, int tokens);

    [LoggerMessage(1002, LogLevel.Warning, "Orchestrator bypassed, answering the original query: {Reason}")]
    public static partial void OrchestratorFallback(ILogger logger, string reason, Exception? exception);

    // The choice is model output that may echo the user's text: Debug only, truncated.
    [LoggerMessage(1003, LogLevel.Debug, "Orchestrator chose route {Choice}, which is not in the route table: using the default route {Route}")]
    public static partial void UnknownRoute(ILogger logger, string choice, string route);

    [LoggerMessage(1004, LogLevel.Warning, "Route {Route}: {From} failed ({Reason}, HTTP {Status}); falling back to {To}")]
    public static partial void FallingBack(ILogger logger, string route, string from, string reason, string to, string status);
}
