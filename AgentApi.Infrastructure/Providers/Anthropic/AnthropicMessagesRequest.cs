namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary>
/// The body of <c>POST /v1/messages</c> (the SDKs' <c>MessageCreateParams</c>): only the fields AgentApi sends. The API
/// rejects any top-level field it does not know, so nothing else may be added here.
/// </summary>
internal sealed record AnthropicMessagesRequest(
    string Model,
    int MaxTokens,
    IReadOnlyList<AnthropicMessage> Messages,
    string? System = null,
    double? Temperature = null,
    double? TopP = null,
    IReadOnlyList<string>? StopSequences = null,
    AnthropicMetadata? Metadata = null,
    IReadOnlyList<AnthropicTool>? Tools = null,
    AnthropicToolChoice? ToolChoice = null,
    AnthropicOutputConfig? OutputConfig = null,
    bool? Stream = null);
