namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>A request message: role <c>system</c>, <c>user</c> or <c>assistant</c> (an earlier answer).</summary>
internal sealed record ChatMessage(string Role, string Content);
