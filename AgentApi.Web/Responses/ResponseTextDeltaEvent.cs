using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentApi.Web.Responses;

/// <summary><c>response.output_text.delta</c>: text of the answer as the executor writes it.</summary>
internal sealed record ResponseTextDeltaEvent(int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, string Delta)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = ResponseEvents.TextDelta;

    public IReadOnlyList<JsonElement> Logprobs { get; init; } = [];
}
