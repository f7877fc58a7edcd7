using System.Text.Json.Serialization;

namespace AgentApi.Web.Responses;

/// <summary>
/// An item of a conversation as the Responses API writes it: in a response's <c>output</c>, in its input items, and as
/// read from a request (without an id until the response assigns one).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ResponseMessage), "message")]
[JsonDerivedType(typeof(ResponseFunctionCall), "function_call")]
[JsonDerivedType(typeof(ResponseFunctionCallOutput), "function_call_output")]
internal abstract record ResponseItem
{
    public string Id { get; init; } = string.Empty;

    /// <summary><c>completed</c>; <c>in_progress</c> while streamed; <c>incomplete</c> when cut short.</summary>
    public string Status { get; init; } = ResponseStatus.Completed;
}
