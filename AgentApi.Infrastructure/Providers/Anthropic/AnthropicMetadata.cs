namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary><c>metadata</c>: an opaque id of the end user, for Anthropic's abuse detection.</summary>
internal sealed record AnthropicMetadata(string UserId);
