using System.Text.Json.Serialization;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>What a chunk adds: the role on the first, then text, refusal or tool-call pieces, nothing on the last.</summary>
internal sealed record ChatCompletionDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Refusal = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ChatCompletionToolCallChunk>? ToolCalls = null);
