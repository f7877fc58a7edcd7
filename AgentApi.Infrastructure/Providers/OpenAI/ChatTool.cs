namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>A tool of the request: always <c>function</c>.</summary>
internal sealed record ChatTool(string Type, ChatFunction Function);
