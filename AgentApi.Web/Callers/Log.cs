namespace AgentApi.Web;

/// <summary>Log methods of caller access: event ids 3010–3019 of the HTTP surface's range.</summary>
internal static partial class Log
{
    [LoggerMessage(3020, LogLevel.Information, "{Method} {Path} refused 401: no valid API key")]
    public static partial void CallerUnauthorized(ILogger logger, string method, string path);

    [LoggerMessage(3021, LogLevel.Warning, "No caller keys are set (AGENTAPI_API_KEYS, AGENTAPI_API_KEYS_FILE): /api/ask is open to anyone who can reach this service")]
    public static partial void CallersOpen(ILogger logger);

    [LoggerMessage(3022, LogLevel.Information, "Callers: {KeyCount} key(s) of {CallerCount} caller(s); per minute {RequestsPerMinute}, in flight {Concurrency}, tokens per day {TokenBudgetPerDay} (0 = no limit); cache scope {CacheScope}; limits counted in {Store}")]
    public static partial void CallersConfigured(ILogger logger, int keyCount, int callerCount, int requestsPerMinute, int concurrency, long tokenBudgetPerDay, string cacheScope, string store);
}
