namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>The assistant's message: text, tool calls, or <see cref="Refusal"/> when the model declined.</summary>
internal sealed record ChatResponseMessage(string? Role, string? Content, string? Refusal, IReadOnlyList<ChatToolCall>? ToolCalls = null);
