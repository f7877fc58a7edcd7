using System.Text.Json;

namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>
/// Body of <c>POST /chat/completions</c>. Only explicitly set fields are sent: Google's compatible
/// endpoint rejects some defaults, and Ollama reads only <c>max_tokens</c>, OpenAI prefers <c>max_completion_tokens</c>.
/// <c>stream_options</c> is only allowed with <c>stream: true</c> (OpenAI answers 400 otherwise). <c>tool_choice</c> is
/// a string or an object, so it is written as built (<see cref="OpenAIChatModel.BuildRequest"/>).
/// </summary>
internal sealed record ChatCompletionRequest(
    string Model,
    IReadOnlyList<ChatMessage> Messages,
    int? MaxCompletionTokens = null,
    int? MaxTokens = null,
    double? Temperature = null,
    bool? Stream = null,
    ChatStreamOptions? StreamOptions = null,
    double? TopP = null,
    IReadOnlyList<string>? Stop = null,
    long? Seed = null,
    double? PresencePenalty = null,
    double? FrequencyPenalty = null,
    string? User = null,
    IReadOnlyList<ChatTool>? Tools = null,
    JsonElement? ToolChoice = null,
    bool? ParallelToolCalls = null,
    ChatResponseFormat? ResponseFormat = null);
