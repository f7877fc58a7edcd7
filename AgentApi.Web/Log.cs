using AgentApi.Core.Providers;

namespace AgentApi.Web;

/// <summary>Source-generated log methods of the HTTP surface. Event ids 3000–3099.</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Information, "{Method} {Path} answered {StatusCode} in {DurationMs:0.0} ms")]
    public static partial void RequestCompleted(ILogger logger, string method, string path, int statusCode, double durationMs);

    // 3001 was "cancelled by the caller": ASP.NET's exception middleware answers 499 for aborted requests
    // itself and never calls the handler, so the request summary line (3000/3005) is the record.

    [LoggerMessage(3002, LogLevel.Warning, "Ask failed at the {Role} ({Provider}): {Failure}, answered {StatusCode}; {ProviderDetail}")]
    public static partial void ProviderFailed(ILogger logger, string role, string provider, ProviderFailure failure, int statusCode, string providerDetail);

    [LoggerMessage(3003, LogLevel.Error, "Unhandled exception")]
    public static partial void UnhandledException(ILogger logger, Exception exception);

    [LoggerMessage(3004, LogLevel.Information, "Bad request ({StatusCode}): {Reason}")]
    public static partial void BadRequest(ILogger logger, int statusCode, string reason);

    [LoggerMessage(3005, LogLevel.Information, "{Method} {Path} answered {StatusCode} in {DurationMs:0.0} ms: route {Route}, model {ExecutorModel}, cached {Cached}, fallback {Fallback}, tokens in {InputTokens} out {OutputTokens}")]
    public static partial void AskCompleted(ILogger logger, string method, string path, int statusCode, double durationMs, string route, string executorModel, bool cached, bool fallback, int inputTokens, int outputTokens);

    [LoggerMessage(3006, LogLevel.Debug, "{Method} {Path} answered {StatusCode} in {DurationMs:0.0} ms")]
    public static partial void ProbeCompleted(ILogger logger, string method, string path, int statusCode, double durationMs);
}
