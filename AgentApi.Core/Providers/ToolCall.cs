namespace AgentApi.Core.Providers;

/// <summary>A function call the model asked the caller to make, as the model wrote it.</summary>
/// <param name="Id">The call's id (<c>call_…</c>); the caller's <c>tool</c> message answers it by this id.</param>
/// <param name="Name">The function's name, one of the request's tools.</param>
/// <param name="Arguments">The arguments as JSON text, verbatim: the model may write invalid JSON, and the caller validates it.</param>
public sealed record ToolCall(string Id, string Name, string Arguments);
