namespace AgentApi.Core.Providers;

/// <summary>
/// A piece of a streamed tool call: the first piece of call <paramref name="Index"/> carries its id and name, the
/// following ones pieces of its arguments. All pieces of one index joined are the call.
/// </summary>
/// <param name="Index">Which call of the answer (0, 1, … for parallel calls).</param>
/// <param name="Id">The call's id, on its first piece.</param>
/// <param name="Name">The function's name, on its first piece.</param>
/// <param name="Arguments">A piece of the arguments' JSON text; may be empty.</param>
public sealed record ToolCallDelta(int Index, string? Id, string? Name, string Arguments);
