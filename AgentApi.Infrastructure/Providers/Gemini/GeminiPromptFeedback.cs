namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>Set when the prompt itself was blocked.</summary>
internal sealed record GeminiPromptFeedback(string? BlockReason);
