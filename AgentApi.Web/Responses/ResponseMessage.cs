using System.Text.Json.Serialization;

namespace AgentApi.Web.Responses;

/// <summary>A message item: <c>user</c>, <c>system</c> and <c>developer</c> ones hold <c>input_text</c>, the assistant's <c>output_text</c> and <c>refusal</c>.</summary>
internal sealed record ResponseMessage(string Role, IReadOnlyList<ResponseContent> Content) : ResponseItem
{
    public const string User = "user";
    public const string Assistant = "assistant";

    /// <summary>The parts' text joined by newlines (a refusal's too), as a chat turn holds it.</summary>
    [JsonIgnore]
    public string Text => string.Join('\n', Content.Select(ResponseContent.TextOf));
}
