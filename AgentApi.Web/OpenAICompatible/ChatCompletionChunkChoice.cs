namespace AgentApi.Web.OpenAICompatible;

/// <summary>The choice of a chunk: a delta, and the finish reason on the last one.</summary>
internal sealed record ChatCompletionChunkChoice(int Index, ChatCompletionDelta Delta, string? FinishReason, object? Logprobs = null);
