namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>One choice of a chunk: the text added since the previous chunk, and the finish reason on the last one.</summary>
internal sealed record ChatChunkChoice(int Index, ChatChunkDelta? Delta, string? FinishReason);
