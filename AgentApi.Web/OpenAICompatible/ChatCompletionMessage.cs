using System.Text.Json.Serialization;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// The assistant's message: its text (null when it only called tools or refused), its <c>refusal</c>, and its
/// <c>tool_calls</c> (left out when there are none, as OpenAI does).
/// </summary>
internal sealed record ChatCompletionMessage(
    string? Content,
    [property: JsonPropertyOrder(-1)] string Role = "assistant",
    string? Refusal = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ChatCompletionToolCall>? ToolCalls = null);
