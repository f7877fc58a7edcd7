namespace AgentApi.Web.Health;

/// <summary>Liveness and configuration at a glance.</summary>
/// <example>
/// {
///   "status": "degraded",
///   "version": "1.1.0",
///   "uptimeSeconds": 3600.5,
///   "providers": [
///     { "role": "orchestrator", "provider": "gemini", "model": "gemma-3-1b-it", "configured": true, "missingSetting": null, "circuit": "closed" },
///     { "role": "executor", "provider": "openai", "model": "gpt-4o-mini", "configured": false, "missingSetting": "OPENAI_API_KEY", "circuit": "closed" }
///   ],
///   "limits": { "store": "memory", "shared": false, "fallback": true }
/// }
/// </example>
/// <param name="Status"><c>ok</c>, or <c>degraded</c> when a provider is unconfigured or its circuit is open.</param>
/// <param name="Version">Service version.</param>
/// <param name="UptimeSeconds">Seconds since the process started.</param>
/// <param name="Providers">The orchestrator and executor.</param>
/// <param name="Limits">Where caller limits are counted.</param>
public sealed record HealthResponse(string Status, string Version, double UptimeSeconds, IReadOnlyList<ProviderHealth> Providers, LimitsHealth Limits);
