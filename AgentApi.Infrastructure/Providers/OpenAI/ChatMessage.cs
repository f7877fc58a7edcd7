namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>A request message: role <c>system</c> or <c>user</c>.</summary>
internal sealed record ChatMessage(string Role, string Content);
