namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>A function call of an assistant message, sent back verbatim in a conversation and read from an answer.</summary>
internal sealed record ChatToolCall(string? Id, string? Type, ChatFunctionCall? Function);
