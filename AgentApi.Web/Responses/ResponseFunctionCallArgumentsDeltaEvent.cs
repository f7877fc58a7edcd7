using System.Text.Json.Serialization;

namespace AgentApi.Web.Responses;

/// <summary><c>response.function_call_arguments.delta</c>: a piece of a call's arguments.</summary>
internal sealed record ResponseFunctionCallArgumentsDeltaEvent(int SequenceNumber, string ItemId, int OutputIndex, string Delta)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = ResponseEvents.ArgumentsDelta;
}
