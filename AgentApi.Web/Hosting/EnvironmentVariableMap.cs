using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Callers;
using AgentApi.Core.Configuration;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Responses;
using AgentApi.Core.Routing;
using AgentApi.Infrastructure.Caching;
using AgentApi.Infrastructure.Providers.Resilience;
using AgentApi.Infrastructure.Providers;
using AgentApi.Web.OpenAICompatible;
using AgentApi.Web.Ask;
using AgentApi.Web.WarmUp;

namespace AgentApi.Web.Hosting;

/// <summary>
/// Every environment variable AgentApi reads, in one place, with the configuration key it sets. The
/// options classes are bound from those keys; start-up errors and <c>missingSetting</c> name the variable
/// through <see cref="NameOf"/>. A key not listed here is named the way the standard environment source
/// reads it (<c>ConnectionStrings:Redis</c> is <c>ConnectionStrings__Redis</c>).
/// </summary>
internal sealed class EnvironmentVariableMap : ISettingNames
{
    private static readonly IReadOnlyList<EnvironmentVariable> All =
    [
        new("GEMMA_API_KEY", Key(OrchestratorOptions.Section, nameof(ProviderOptions.ApiKey))),
        new("GEMMA_ORCHESTRATOR_MODEL", Key(OrchestratorOptions.Section, nameof(ProviderOptions.Model))),
        new("GEMMA_PROVIDER", Key(OrchestratorOptions.Section, nameof(ProviderOptions.Protocol))),
        new("GEMMA_BASE_URL", Key(OrchestratorOptions.Section, nameof(ProviderOptions.BaseUrl))),
        new("OPENAI_API_KEY", Key(ExecutorOptions.Section, nameof(ProviderOptions.ApiKey))),
        new("OPENAI_EXECUTOR_MODEL", Key(ExecutorOptions.Section, nameof(ProviderOptions.Model))),
        new("OPENAI_BASE_URL", Key(ExecutorOptions.Section, nameof(ProviderOptions.BaseUrl))),
        new("ORCHESTRATOR_TIMEOUT_SECONDS", Key(AskOptions.Section, nameof(AskOptions.OrchestratorAttemptTimeoutSeconds)), ValueFormat.Number),
        new("EXECUTOR_TIMEOUT_SECONDS", Key(AskOptions.Section, nameof(AskOptions.ExecutorAttemptTimeoutSeconds)), ValueFormat.Number),
        new("REQUEST_TIMEOUT_SECONDS", Key(AskOptions.Section, nameof(AskOptions.RequestTimeoutSeconds)), ValueFormat.Number),
        new("ORCHESTRATOR_HISTORY_CHARS", Key(AskOptions.Section, nameof(AskOptions.OrchestratorHistoryChars)), ValueFormat.WholeNumber),
        new("EXECUTOR_HISTORY_CHARS", Key(AskOptions.Section, nameof(AskOptions.ExecutorHistoryChars)), ValueFormat.WholeNumber),
        new("V1_MODEL", Key(OpenAICompatibleOptions.Section, nameof(OpenAICompatibleOptions.Model))),
        new("V1_DIRECT_MODEL", Key(OpenAICompatibleOptions.Section, nameof(OpenAICompatibleOptions.DirectModel))),
        new("RETRY_MAX_ATTEMPTS", Key(ResilienceOptions.Section, nameof(ResilienceOptions.MaxAttempts)), ValueFormat.WholeNumber),
        new("RETRY_BASE_DELAY_MS", Key(ResilienceOptions.Section, nameof(ResilienceOptions.BaseDelayMilliseconds)), ValueFormat.Number),
        new("RETRY_MAX_DELAY_MS", Key(ResilienceOptions.Section, nameof(ResilienceOptions.MaxDelayMilliseconds)), ValueFormat.Number),
        new("CIRCUIT_BREAKER_FAILURE_RATIO", Key(ResilienceOptions.Section, nameof(ResilienceOptions.BreakerFailureRatio)), ValueFormat.Number),
        new("CIRCUIT_BREAKER_MIN_CALLS", Key(ResilienceOptions.Section, nameof(ResilienceOptions.BreakerMinimumCalls)), ValueFormat.WholeNumber),
        new("CIRCUIT_BREAKER_WINDOW_SECONDS", Key(ResilienceOptions.Section, nameof(ResilienceOptions.BreakerSamplingSeconds)), ValueFormat.Number),
        new("CIRCUIT_BREAKER_BREAK_SECONDS", Key(ResilienceOptions.Section, nameof(ResilienceOptions.BreakDurationSeconds)), ValueFormat.Number),
        new("CACHE_TTL_SECONDS", Key(CacheOptions.Section, nameof(CacheOptions.TtlSeconds)), ValueFormat.Number),
        new("CACHE_MAX_ENTRIES", Key(CacheOptions.Section, nameof(CacheOptions.MaxEntries)), ValueFormat.WholeNumber),
        new("CACHE_MAX_BYTES", Key(CacheOptions.Section, nameof(CacheOptions.MaxBytes)), ValueFormat.WholeNumber),
        new("RESPONSES_TTL_SECONDS", Key(ResponseStoreOptions.Section, nameof(ResponseStoreOptions.TtlSeconds)), ValueFormat.Number),
        new("RESPONSES_MAX_BYTES", Key(ResponseStoreOptions.Section, nameof(ResponseStoreOptions.MaxBytes)), ValueFormat.WholeNumber),
        new("REDIS_URL", Key(RedisOptions.Section, nameof(RedisOptions.Url))),
        new("PRICE_TABLE", Key(PricingOptions.Section, nameof(PricingOptions.Table))),
        new("AGENTAPI_API_KEYS", Key(CallerOptions.Section, nameof(CallerOptions.ApiKeys))),
        new("AGENTAPI_API_KEYS_FILE", Key(CallerOptions.Section, nameof(CallerOptions.ApiKeysFile))),
        new("METRICS_REQUIRE_KEY", Key(CallerOptions.Section, nameof(CallerOptions.MetricsRequireKey)), ValueFormat.Boolean),
        new("DOCS_ENABLED", Key(CallerOptions.Section, nameof(CallerOptions.DocsEnabled)), ValueFormat.Boolean),
        new("RATE_LIMIT_PER_MINUTE", Key(CallerOptions.Section, nameof(CallerOptions.RequestsPerMinute)), ValueFormat.WholeNumber),
        new("RATE_LIMIT_CONCURRENCY", Key(CallerOptions.Section, nameof(CallerOptions.Concurrency)), ValueFormat.WholeNumber),
        new("TOKEN_BUDGET_PER_DAY", Key(CallerOptions.Section, nameof(CallerOptions.TokenBudgetPerDay)), ValueFormat.WholeNumber),
        new("CACHE_SCOPE", Key(CallerOptions.Section, nameof(CallerOptions.CacheScopeName))),
        new("ROUTES_FILE", Key(RouteTableOptions.Section, nameof(RouteTableOptions.File))),
        new("STREAM_HEARTBEAT_SECONDS", Key(AskStreamOptions.Section, nameof(AskStreamOptions.HeartbeatSeconds)), ValueFormat.Number),
        new("WARMUP_ASKS", Key(WarmUpOptions.Section, nameof(WarmUpOptions.Asks)), ValueFormat.WholeNumber),
        new("MAX_CONNECTIONS", Key(HostingOptions.Section, nameof(HostingOptions.MaxConnections)), ValueFormat.WholeNumber),
        new("ALLOWED_HOSTS", Key(HostingOptions.Section, nameof(HostingOptions.AllowedHosts))),
        new("CORS_ORIGINS", Key(HostingOptions.Section, nameof(HostingOptions.CorsOrigins))),
        new("LOG_LEVEL", Key(LogOptions.Section, nameof(LogOptions.Level))),
        new("LOG_DIR", Key(LogOptions.Section, nameof(LogOptions.Directory))),
        new("LOG_MAX_FILE_MB", Key(LogOptions.Section, nameof(LogOptions.MaxFileMegabytes)), ValueFormat.WholeNumber),
        new("LOG_MAX_ARCHIVES", Key(LogOptions.Section, nameof(LogOptions.MaxArchives)), ValueFormat.WholeNumber),

        // The GenAI semantic conventions' opt-in; the other OTEL_* variables are read by the OpenTelemetry SDK itself (TraceExport).
        new("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", Key(TracingOptions.Section, nameof(TracingOptions.CaptureMessageContent)), ValueFormat.Boolean),
    ];

    private static readonly Dictionary<string, EnvironmentVariable> ByKey = All.ToDictionary(variable => variable.Key, StringComparer.OrdinalIgnoreCase);

    private EnvironmentVariableMap()
    {
    }

    public static EnvironmentVariableMap Instance { get; } = new();

    public static IReadOnlyList<EnvironmentVariable> Variables => All;

    /// <summary>The variable that sets <paramref name="key"/>, or null when none does.</summary>
    public static EnvironmentVariable? Find(string key) => ByKey.GetValueOrDefault(key);

    public string NameOf(string key) => Find(key)?.Name ?? key.Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal);

    private static string Key(string section, string property) => ConfigurationPath.Combine(section, property);
}
