using System.Text.Json.Serialization;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// The function of a call: its name and arguments; in a chunk, the name on the call's first piece only (left out
/// after it) and a piece of the arguments.
/// </summary>
internal sealed record ChatCompletionFunctionCall(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    string Arguments);
