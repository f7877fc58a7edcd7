using System.Text.Json.Serialization;

namespace AgentApi.Web.Responses;

/// <summary><c>response.refusal.delta</c>: a piece of the executor's refusal.</summary>
internal sealed record ResponseRefusalDeltaEvent(int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, string Delta)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = ResponseEvents.RefusalDelta;
}
