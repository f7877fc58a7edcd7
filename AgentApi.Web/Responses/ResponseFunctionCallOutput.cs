namespace AgentApi.Web.Responses;

/// <summary>A <c>function_call_output</c> item: the caller's result of the call with <see cref="CallId"/>.</summary>
internal sealed record ResponseFunctionCallOutput(string CallId, string Output) : ResponseItem;
