using System.Text.Json.Serialization;

namespace AgentApi.Web.Responses;

/// <summary><c>response.refusal.done</c>: the whole refusal.</summary>
internal sealed record ResponseRefusalDoneEvent(int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, string Refusal)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = ResponseEvents.RefusalDone;
}
