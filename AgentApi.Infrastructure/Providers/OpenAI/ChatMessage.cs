namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>
/// A request message: role <c>system</c>, <c>user</c>, <c>assistant</c> (an earlier answer, or its tool calls) or
/// <c>tool</c> (a call's result). An assistant message that only calls tools has no content.
/// </summary>
internal sealed record ChatMessage(string Role, string? Content, IReadOnlyList<ChatToolCall>? ToolCalls = null, string? ToolCallId = null);
