namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary><c>tool_choice</c>: <c>auto</c>, <c>any</c>, <c>none</c> or <c>tool</c> with <see cref="Name"/>.</summary>
internal sealed record AnthropicToolChoice(string Type, string? Name = null, bool? DisableParallelToolUse = null);
