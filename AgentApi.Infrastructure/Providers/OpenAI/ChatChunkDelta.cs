namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>What a chunk adds: <c>role</c> on the first, <c>content</c> pieces, <c>tool_calls</c> pieces, or <c>refusal</c> pieces when the model declines.</summary>
internal sealed record ChatChunkDelta(string? Role, string? Content, string? Refusal, IReadOnlyList<ChatToolCallChunk>? ToolCalls = null);
