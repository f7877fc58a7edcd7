using System.Text.Json.Serialization;
using AgentApi.Web.OpenAICompatible;

namespace AgentApi.Web.Responses;

/// <summary>
/// <c>error</c>: a failure after the stream started, with the spec's <c>code</c>, <c>message</c> and <c>param</c>, and the
/// <c>error</c> object OpenAI's service sends, on which the Python and Node SDKs raise.
/// </summary>
internal sealed record ResponseErrorEvent(int SequenceNumber, string? Code, string Message, string? Param, OpenAIErrorDetail Error)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = ResponseEvents.Error;
}
