namespace AgentApi.Core.Callers;

/// <summary>Who may call, what they may spend and whose cached answers they see.</summary>
public sealed class CallerOptions
{
    /// <summary>Keys from <c>AGENTAPI_API_KEYS</c> and <c>AGENTAPI_API_KEYS_FILE</c>; empty means the service is open to anyone who can reach it.</summary>
    public IReadOnlyList<CallerKey> Keys { get; set; } = [];

    /// <summary><c>METRICS_REQUIRE_KEY</c>: <c>/metrics</c> asks for a caller key too.</summary>
    public bool MetricsRequireKey { get; set; }

    /// <summary><c>DOCS_ENABLED</c>: serve Swagger UI and the OpenAPI document.</summary>
    public bool DocsEnabled { get; set; } = true;

    /// <summary><c>RATE_LIMIT_PER_MINUTE</c>: asks per caller per minute; 0 = no limit.</summary>
    public int RequestsPerMinute { get; set; }

    /// <summary><c>RATE_LIMIT_CONCURRENCY</c>: asks of one caller in flight at once; 0 = no limit.</summary>
    public int Concurrency { get; set; }

    /// <summary><c>TOKEN_BUDGET_PER_DAY</c>: provider tokens per caller per UTC day; 0 = no limit.</summary>
    public long TokenBudgetPerDay { get; set; }

    /// <summary><c>CACHE_SCOPE</c>; unset means <see cref="CacheScope.Caller"/> when keys are set and <see cref="CacheScope.Global"/> when the service is open.</summary>
    public CacheScope? CacheScope { get; set; }

    public bool IsOpen => Keys.Count == 0;

    public CacheScope EffectiveCacheScope => CacheScope ?? (IsOpen ? Callers.CacheScope.Global : Callers.CacheScope.Caller);

    public bool HasLimits => RequestsPerMinute > 0 || Concurrency > 0 || TokenBudgetPerDay > 0;
}
