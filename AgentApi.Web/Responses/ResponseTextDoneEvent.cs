using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentApi.Web.Responses;

/// <summary><c>response.output_text.done</c>: the part's whole text.</summary>
internal sealed record ResponseTextDoneEvent(int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, string Text)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = ResponseEvents.TextDone;

    public IReadOnlyList<JsonElement> Logprobs { get; init; } = [];
}
