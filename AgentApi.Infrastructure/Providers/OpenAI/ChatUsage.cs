namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>Token usage; Ollama sends only these three fields.</summary>
internal sealed record ChatUsage(int PromptTokens, int CompletionTokens, int TotalTokens);
