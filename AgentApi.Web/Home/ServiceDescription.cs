namespace AgentApi.Web.Home;

/// <summary>What this service is and where its endpoints are.</summary>
/// <example>
/// {
///   "name": "AgentApi",
///   "version": "1.1.0",
///   "description": "Answers questions in two steps: a small orchestrator model writes a focused prompt, a stronger executor model answers it.",
///   "links": { "ask": "/api/ask", "routes": "/api/routes", "health": "/healthz", "cacheHealth": "/healthz/cache", "ready": "/healthz/ready", "metrics": "/metrics", "docs": "/docs", "openApi": "/openapi/v1.json" }
/// }
/// </example>
/// <param name="Name">Service name.</param>
/// <param name="Version">Service version.</param>
/// <param name="Description">One line on what it does.</param>
/// <param name="Links">Endpoint paths by name.</param>
public sealed record ServiceDescription(string Name, string Version, string Description, IReadOnlyDictionary<string, string> Links);
