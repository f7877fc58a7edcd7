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

    [LoggerMessage(3005, LogLevel.Information, "{Method} {Path} answered {StatusCode} in {DurationMs:0.0} ms: caller {Caller}, route {Route}, model {ExecutorModel}, cached {Cached}, fallback {Fallback}, tokens in {InputTokens} out {OutputTokens}")]
    public static partial void AskCompleted(ILogger logger, string method, string path, int statusCode, double durationMs, string caller, string route, string executorModel, bool cached, bool fallback, int inputTokens, int outputTokens);

    [LoggerMessage(3008, LogLevel.Warning, "Ask stream failed after it started, at the {Role} ({Provider}): {Failure}, sent an error event {ProblemType}; {ProviderDetail}")]
    public static partial void StreamFailed(ILogger logger, string role, string provider, ProviderFailure failure, string problemType, string providerDetail);

    [LoggerMessage(3006, LogLevel.Debug, "{Method} {Path} answered {StatusCode} in {DurationMs:0.0} ms")]
    public static partial void ProbeCompleted(ILogger logger, string method, string path, int statusCode, double durationMs);

    [LoggerMessage(3007, LogLevel.Information, "{Method} {Path} answered {StatusCode} in {DurationMs:0.0} ms: caller {Caller}, route {Route}, from the cache, no tokens spent")]
    public static partial void AskAnsweredFromCache(ILogger logger, string method, string path, int statusCode, double durationMs, string caller, string route);

    // The start-up block is one event per line: log lines are escaped to stay one line each (docs/decisions/0006).
    [LoggerMessage(3010, LogLevel.Information, "AgentApi {Version} listening on {Addresses}")]
    public static partial void StartupReport(ILogger logger, string version, string addresses);

    [LoggerMessage(3012, LogLevel.Information, "  {Setting}: {Value}")]
    public static partial void StartupSetting(ILogger logger, string setting, string value);

    [LoggerMessage(3011, LogLevel.Warning, "{Variable} is not set: the {Role} ({Provider}) cannot be called, so /api/ask answers 503 until it is set in .env or the environment and the service restarts")]
    public static partial void KeyMissing(ILogger logger, string variable, string role, string provider);

    [LoggerMessage(3050, LogLevel.Information, "Warm-up: {Asks} asks through the ask path in {AskedMs:0} ms, ready after {TotalMs:0} ms (providers not called, nothing cached or counted)")]
    public static partial void WarmedUp(ILogger logger, int asks, double askedMs, double totalMs);

    [LoggerMessage(3051, LogLevel.Warning, "Warm-up stopped after {Sent} of {Asks} asks: {Reason}; ready without it")]
    public static partial void WarmUpStopped(ILogger logger, int sent, int asks, string reason);

    [LoggerMessage(3052, LogLevel.Information, "Warm-up skipped: {Reason}")]
    public static partial void WarmUpSkipped(ILogger logger, string reason);
}
