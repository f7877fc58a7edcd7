using System.Text.Json.Serialization;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>A function call of the answer, as the executor made it: its id, and the function's name and arguments (JSON text).</summary>
internal sealed record ChatCompletionToolCall(
    [property: JsonPropertyOrder(-2)] string Id,
    ChatCompletionFunctionCall Function,
    [property: JsonPropertyOrder(-1)] string Type = "function");
