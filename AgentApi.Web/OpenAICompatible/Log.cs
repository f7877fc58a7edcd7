namespace AgentApi.Web.OpenAICompatible;

/// <summary>Source-generated log methods of the OpenAI-compatible API. Event ids 3040–3049.</summary>
internal static partial class Log
{
    [LoggerMessage(3040, LogLevel.Information, "Chat completion refused ({StatusCode} {Code}): {Param}")]
    public static partial void ChatCompletionRefused(ILogger logger, int statusCode, string? code, string? param);

    [LoggerMessage(3041, LogLevel.Information, "Chat completion for model {Model}: {Turns} earlier turns, instructions {HasInstructions}, stream {Stream}, end user {EndUser}")]
    public static partial void ChatCompletion(ILogger logger, string model, int turns, bool hasInstructions, bool stream, string? endUser);

    [LoggerMessage(3042, LogLevel.Information, "Chat completion answered with finish_reason content_filter: the executor withheld the answer")]
    public static partial void ContentFiltered(ILogger logger);

    [LoggerMessage(3043, LogLevel.Warning, "Chat completion stream failed at the {Role} ({Provider}): {Failure}, error event {Code} sent and the connection closed; {ProviderDetail}")]
    public static partial void StreamFailed(ILogger logger, string role, string provider, AgentApi.Core.Providers.ProviderFailure failure, string? code, string providerDetail);

    [LoggerMessage(3044, LogLevel.Error, "Chat completion stream failed unexpectedly; error event sent and the connection closed")]
    public static partial void StreamFailedUnexpectedly(ILogger logger, Exception exception);
}
