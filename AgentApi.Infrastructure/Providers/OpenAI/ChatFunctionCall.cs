namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>The function a call names and its arguments (JSON text as the model wrote it); in a chunk, pieces of either.</summary>
internal sealed record ChatFunctionCall(string? Name, string? Arguments);
