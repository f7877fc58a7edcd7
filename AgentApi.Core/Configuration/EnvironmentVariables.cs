namespace AgentApi.Core.Configuration;

/// <summary>
/// Every environment variable AgentApi reads, in one place. Values may also come from a <c>.env</c>
/// file in the working directory; the real environment wins.
/// </summary>
public static class EnvironmentVariables
{
    public const string GemmaApiKey = "GEMMA_API_KEY";
    public const string GemmaModel = "GEMMA_ORCHESTRATOR_MODEL";
    public const string GemmaProvider = "GEMMA_PROVIDER";
    public const string GemmaBaseUrl = "GEMMA_BASE_URL";
    public const string OpenAIApiKey = "OPENAI_API_KEY";
    public const string OpenAIModel = "OPENAI_EXECUTOR_MODEL";
    public const string OpenAIBaseUrl = "OPENAI_BASE_URL";
    public const string LogLevel = "LOG_LEVEL";
    public const string LogDir = "LOG_DIR";
    public const string CacheTtlSeconds = "CACHE_TTL_SECONDS";
    public const string CacheMaxEntries = "CACHE_MAX_ENTRIES";
    public const string RedisUrl = "REDIS_URL";

    /// <summary>Alternative to <see cref="RedisUrl"/>: the ASP.NET Core connection string <c>ConnectionStrings:Redis</c>.</summary>
    public const string RedisConnectionString = "ConnectionStrings__Redis";
    public const string OrchestratorTimeoutSeconds = "ORCHESTRATOR_TIMEOUT_SECONDS";
    public const string ExecutorTimeoutSeconds = "EXECUTOR_TIMEOUT_SECONDS";
    public const string RequestTimeoutSeconds = "REQUEST_TIMEOUT_SECONDS";
    public const string RetryMaxAttempts = "RETRY_MAX_ATTEMPTS";
    public const string RetryBaseDelayMs = "RETRY_BASE_DELAY_MS";
    public const string RetryMaxDelayMs = "RETRY_MAX_DELAY_MS";
    public const string CircuitBreakerFailures = "CIRCUIT_BREAKER_FAILURES";
    public const string CircuitBreakerBreakSeconds = "CIRCUIT_BREAKER_BREAK_SECONDS";
    public const string PriceTable = "PRICE_TABLE";
    public const string OrchestratorHistoryChars = "ORCHESTRATOR_HISTORY_CHARS";
    public const string ExecutorHistoryChars = "EXECUTOR_HISTORY_CHARS";

    /// <summary>The <c>/v1</c> model id that runs the whole pipeline (orchestrator, then executor).</summary>
    public const string V1Model = "V1_MODEL";

    /// <summary>The <c>/v1</c> model id that skips the orchestrator.</summary>
    public const string V1DirectModel = "V1_DIRECT_MODEL";
}
