namespace AgentApi.Web.Home;

/// <summary>What this service is and where its endpoints are.</summary>
/// <example>
/// {
///   "name": "AgentApi",
///   "version": "1.1.0",
///   "description": "Answers questions in two steps: a small orchestrator model writes a focused prompt, a stronger executor model answers it.",
///   "links": { "ask": "/api/ask", "askStream": "/api/ask/stream", "routes": "/api/routes", "chatCompletions": "/v1/chat/completions", "models": "/v1/models", "health": "/healthz", "cacheHealth": "/healthz/cache", "ready": "/healthz/ready", "metrics": "/metrics", "docs": "/docs", "openApi": "/openapi/v1.json" }
/// }
/// </example>
/// <param name="Name">Service name.</param>
/// <param name="Version">Service version.</param>
/// <param name="Description">One line on what it does.</param>
/// <param name="Links">Endpoint paths by name: this API's, the OpenAI-compatible API's (<c>/v1</c>), health, metrics and docs.</param>
public sealed record ServiceDescription(string Name, string Version, string Description, IReadOnlyDictionary<string, string> Links);
