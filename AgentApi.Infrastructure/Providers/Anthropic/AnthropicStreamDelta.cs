namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary>
/// A stream's <c>delta</c>: in <c>content_block_delta</c> a <c>text_delta</c> (<see cref="Text"/>) or an
/// <c>input_json_delta</c> (<see cref="PartialJson"/>), among others AgentApi skips; in <c>message_delta</c> the
/// <see cref="StopReason"/> (no type).
/// </summary>
internal sealed record AnthropicStreamDelta(string? Type, string? Text = null, string? PartialJson = null, string? StopReason = null, string? StopSequence = null);
