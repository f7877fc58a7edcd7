namespace AgentApi.Web.OpenAICompatible;

/// <summary>Source-generated log methods of the OpenAI-compatible API. Event ids 3040–3049.</summary>
internal static partial class Log
{
    // 3040 (a refused request) is the exception handler's now; 3042–3044 were the stream's, now the ask pipeline's (3005, 3008).

    // The caller's strings (model, end user) are cut; the ask's own line (3005) is the Information one.
    [LoggerMessage(3041, LogLevel.Debug, "Chat completion for model {Model}: {Turns} earlier turns, {ToolTurns} tool-exchange turns after the question, {Tools} tools, response format {ResponseFormat}, instructions {HasInstructions}, stream {Stream}, end user {EndUser}")]
    public static partial void ChatCompletion(ILogger logger, string model, int turns, int toolTurns, int tools, string responseFormat, bool hasInstructions, bool stream, string? endUser);

    // Tool results are user data: Debug only, cut.
    [LoggerMessage(3045, LogLevel.Debug, "Tool result for call {ToolCallId}: {Content}")]
    public static partial void ToolResult(ILogger logger, string toolCallId, string content);
}
