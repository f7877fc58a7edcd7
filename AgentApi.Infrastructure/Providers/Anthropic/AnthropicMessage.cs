namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary>A turn of the conversation: <c>user</c> or <c>assistant</c>, as content blocks.</summary>
internal sealed record AnthropicMessage(string Role, IReadOnlyList<AnthropicContentBlock> Content);
