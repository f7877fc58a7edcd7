namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>How the model may use the request's functions.</summary>
internal sealed record GeminiToolConfig(GeminiFunctionCallingConfig FunctionCallingConfig);
