namespace AgentApi.Core.Callers;

/// <summary>Who may call, what they may spend and whose cached answers they see; bound from the <c>Callers</c> section.</summary>
public sealed class CallerOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Callers";

    /// <summary>Comma-separated caller keys.</summary>
    public string? ApiKeys { get; set; }

    /// <summary>A file of <c>name:sha256-hex-of-key</c> lines, for named callers. Once read, the absolute path (a relative one resolved by <see cref="Configuration.ISettingPaths"/>).</summary>
    public string? ApiKeysFile { get; set; }

    /// <summary>The keys of <see cref="ApiKeys"/> and <see cref="ApiKeysFile"/>, read at start; empty means the service is open to anyone who can reach it.</summary>
    public IReadOnlyList<CallerKey> Keys { get; set; } = [];

    /// <summary><c>/metrics</c> asks for a caller key too.</summary>
    public bool MetricsRequireKey { get; set; }

    /// <summary>Serve Swagger UI and the OpenAPI document.</summary>
    public bool DocsEnabled { get; set; } = true;

    /// <summary>Asks per caller per minute; 0 = no limit.</summary>
    public int RequestsPerMinute { get; set; }

    /// <summary>Asks of one caller in flight at once; 0 = no limit.</summary>
    public int Concurrency { get; set; }

    /// <summary>Provider tokens per caller per UTC day; 0 = no limit.</summary>
    public long TokenBudgetPerDay { get; set; }

    /// <summary><c>caller</c> or <c>global</c>; unset means <see cref="Callers.CacheScope.Caller"/> when keys are set and <see cref="Callers.CacheScope.Global"/> when the service is open.</summary>
    public string? CacheScopeName { get; set; }

    /// <summary><see cref="CacheScopeName"/> read; null when unset or not a scope (the validator reports that).</summary>
    public CacheScope? CacheScope => CacheScopeName?.Trim().ToLowerInvariant() switch
    {
        "caller" => Callers.CacheScope.Caller,
        "global" => Callers.CacheScope.Global,
        _ => null,
    };

    public bool IsOpen => Keys.Count == 0;

    public CacheScope EffectiveCacheScope => CacheScope ?? (IsOpen ? Callers.CacheScope.Global : Callers.CacheScope.Caller);

    public bool HasLimits => RequestsPerMinute > 0 || Concurrency > 0 || TokenBudgetPerDay > 0;
}
