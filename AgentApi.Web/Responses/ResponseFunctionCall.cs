namespace AgentApi.Web.Responses;

/// <summary>A <c>function_call</c> item: the executor asks the caller to run a function; <see cref="CallId"/> is the provider's call id.</summary>
internal sealed record ResponseFunctionCall(string CallId, string Name, string Arguments) : ResponseItem;
