namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary><c>output_config</c>: here only its <c>format</c> (structured outputs).</summary>
internal sealed record AnthropicOutputConfig(AnthropicOutputFormat Format);
