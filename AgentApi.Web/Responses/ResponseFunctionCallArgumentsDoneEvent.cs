using System.Text.Json.Serialization;

namespace AgentApi.Web.Responses;

/// <summary><c>response.function_call_arguments.done</c>: the call's whole arguments.</summary>
internal sealed record ResponseFunctionCallArgumentsDoneEvent(int SequenceNumber, string ItemId, int OutputIndex, string Name, string Arguments)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = ResponseEvents.ArgumentsDone;
}
