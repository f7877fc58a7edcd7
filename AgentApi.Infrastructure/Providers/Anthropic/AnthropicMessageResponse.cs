namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary>A <c>message</c>: the buffered answer, and the <c>message</c> of a stream's <c>message_start</c> (content empty, no stop reason yet).</summary>
internal sealed record AnthropicMessageResponse(
    string? Id,
    string? Type,
    string? Model,
    IReadOnlyList<AnthropicResponseBlock>? Content,
    string? StopReason,
    string? StopSequence,
    AnthropicUsage? Usage);
