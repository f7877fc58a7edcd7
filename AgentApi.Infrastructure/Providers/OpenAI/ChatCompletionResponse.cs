namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>The answer. <c>id</c> is optional (some compatible servers omit it) and never unique on Ollama.</summary>
internal sealed record ChatCompletionResponse(string? Id, string? Model, IReadOnlyList<ChatChoice>? Choices, ChatUsage? Usage);
