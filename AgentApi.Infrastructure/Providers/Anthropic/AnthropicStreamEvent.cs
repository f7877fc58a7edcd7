namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary>
/// The data of one streamed event, whichever its type: <c>message_start</c> (<see cref="Message"/>),
/// <c>content_block_start</c> (<see cref="Index"/>, <see cref="ContentBlock"/>), <c>content_block_delta</c>
/// (<see cref="Index"/>, <see cref="Delta"/>), <c>content_block_stop</c>, <c>message_delta</c> (<see cref="Delta"/>,
/// <see cref="Usage"/>) or <c>message_stop</c>.
/// </summary>
internal sealed record AnthropicStreamEvent(
    string? Type,
    AnthropicMessageResponse? Message = null,
    int? Index = null,
    AnthropicResponseBlock? ContentBlock = null,
    AnthropicStreamDelta? Delta = null,
    AnthropicUsage? Usage = null);
