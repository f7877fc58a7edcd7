using AgentApi.Core.Providers;

namespace AgentApi.Web;

/// <summary>Source-generated log methods of the HTTP surface. Event ids 3000–3099.</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Information, "{Method} {Path} answered {StatusCode} in {DurationMs:0.0} ms, caller {Caller}")]
    public static partial void RequestCompleted(ILogger logger, string method, string path, int statusCode, double durationMs, string caller);

    // 3001 was "cancelled by the caller": ASP.NET's exception middleware answers 499 for aborted requests
    // itself and never calls the handler, so the request summary line (3000/3005) is the record.

    [LoggerMessage(3002, LogLevel.Warning, "Ask failed at the {Role} ({Provider}): {Failure}, answered {StatusCode}; {ProviderDetail}")]
    public static partial void ProviderFailed(ILogger logger, string role, string provider, ProviderFailure failure, int statusCode, string providerDetail);

    [LoggerMessage(3003, LogLevel.Error, "Unhandled exception")]
    public static partial void UnhandledException(ILogger logger, Exception exception);

    [LoggerMessage(3004, LogLevel.Information, "Bad request ({StatusCode}): {Reason}")]
    public static partial void BadRequest(ILogger logger, int statusCode, string reason);

    // The one line of an ask at Information (the pipeline's), whatever the door and however it ended: both model calls,
    // the tools the executor called (names only: arguments and results are user data, at Debug), and what the caller
    // was charged. The per-call lines are at Debug.
    [LoggerMessage(EventId = 3005, Message = "{Method} {Path} answered {StatusCode} in {DurationMs:0.0} ms: caller {Caller}, {Ending}, route {Route}, cache {Cache}, fallback {Fallback}, finish {FinishReason}, tools called {ToolsCalled}; orchestrator {OrchestratorModel} tokens in {OrchestratorInputTokens} out {OrchestratorOutputTokens}, {OrchestratorMs:0.0} ms, {OrchestratorAttempts} attempt(s); executor {ExecutorProvider}/{ExecutorModel} tokens in {ExecutorInputTokens} out {ExecutorOutputTokens}, {ExecutorMs:0.0} ms, {ExecutorAttempts} attempt(s), models passed over {ExecutorPassedOver}; charged {ChargedTokens} tokens {Charge}")]
    public static partial void AskCompleted(
        ILogger logger, LogLevel level, string method, string path, int statusCode, double durationMs, string caller, string ending, string route, string cache, bool fallback, string finishReason, string toolsCalled,
        string orchestratorModel, int orchestratorInputTokens, int orchestratorOutputTokens, double orchestratorMs, int orchestratorAttempts,
        string executorProvider, string executorModel, int executorInputTokens, int executorOutputTokens, double executorMs, int executorAttempts, string executorPassedOver, long chargedTokens, string charge);

    // Tool arguments are user data: Debug only, cut.
    [LoggerMessage(3009, LogLevel.Debug, "The executor called tool {Name} ({ToolCallId}) with arguments {Arguments}")]
    public static partial void ToolCalled(ILogger logger, string name, string toolCallId, string arguments);

    [LoggerMessage(3008, LogLevel.Warning, "Ask stream failed after it started, at the {Role} ({Provider}): {Failure}; an error event ended the stream; {ProviderDetail}")]
    public static partial void StreamFailed(ILogger logger, string role, string provider, ProviderFailure failure, string providerDetail);

    [LoggerMessage(3040, LogLevel.Information, "Request refused ({StatusCode} {Code}): {Param}")]
    public static partial void RequestRefused(ILogger logger, int statusCode, string? code, string? param);

    [LoggerMessage(3006, LogLevel.Debug, "{Method} {Path} answered {StatusCode} in {DurationMs:0.0} ms")]
    public static partial void ProbeCompleted(ILogger logger, string method, string path, int statusCode, double durationMs);


    // The start-up block is one event per line: log lines are escaped to stay one line each (docs/decisions/0006).
    [LoggerMessage(3010, LogLevel.Information, "AgentApi {Version} listening on {Addresses}")]
    public static partial void StartupReport(ILogger logger, string version, string addresses);

    [LoggerMessage(3012, LogLevel.Information, "  {Setting}: {Value}")]
    public static partial void StartupSetting(ILogger logger, string setting, string value);

    [LoggerMessage(3011, LogLevel.Warning, "{Variable} is not set: the {Role} ({Provider}) cannot be called, so /api/ask answers 503 until it is set in .env or the environment and the service restarts")]
    public static partial void KeyMissing(ILogger logger, string variable, string role, string provider);

    [LoggerMessage(3050, LogLevel.Information, "Warm-up: {Asks} asks through the ask path in {AskedMs:0} ms, ready after {TotalMs:0} ms (providers not called, nothing cached)")]
    public static partial void WarmedUp(ILogger logger, int asks, double askedMs, double totalMs);

    [LoggerMessage(3051, LogLevel.Warning, "Warm-up stopped after {Sent} of {Asks} asks: {Reason}; ready without it")]
    public static partial void WarmUpStopped(ILogger logger, int sent, int asks, string reason);

    [LoggerMessage(3052, LogLevel.Information, "Warm-up skipped: {Reason}")]
    public static partial void WarmUpSkipped(ILogger logger, string reason);
}
