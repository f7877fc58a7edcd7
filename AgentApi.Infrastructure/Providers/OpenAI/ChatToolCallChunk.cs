namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>A piece of a streamed tool call: <c>index</c> says which call; the first piece has its id and name, the others pieces of its arguments.</summary>
internal sealed record ChatToolCallChunk(int Index, string? Id, string? Type, ChatFunctionCall? Function);
