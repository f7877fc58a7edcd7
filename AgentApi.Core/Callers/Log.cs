using AgentApi.Core.Callers;
using Microsoft.Extensions.Logging;

namespace AgentApi.Core;

/// <summary>Log methods of caller limits: event ids 1050–1059 of the pipeline's range.</summary>
internal static partial class Log
{
    [LoggerMessage(1050, LogLevel.Information, "Caller {Caller} refused: {Limit} limit of {LimitValue} reached, retry after {RetryAfterSeconds} s")]
    public static partial void CallerLimited(ILogger logger, string caller, CallerLimit limit, long limitValue, double retryAfterSeconds);

    [LoggerMessage(1051, LogLevel.Warning, "Shared caller limits unavailable ({ExceptionType}: {Reason}): counting per replica until Redis answers again")]
    public static partial void SharedLimitsUnavailable(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(1052, LogLevel.Information, "Shared caller limits answering again: counting in Redis")]
    public static partial void SharedLimitsRestored(ILogger logger);
}
