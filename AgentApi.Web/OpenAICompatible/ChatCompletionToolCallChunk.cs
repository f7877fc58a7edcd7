using System.Text.Json.Serialization;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>A piece of a streamed tool call: <c>index</c> names the call; the first piece has its <c>id</c>, <c>type</c> and name.</summary>
internal sealed record ChatCompletionToolCallChunk(
    int Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type,
    ChatCompletionFunctionCall Function);
