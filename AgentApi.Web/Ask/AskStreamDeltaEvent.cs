namespace AgentApi.Web.Ask;

/// <summary>Event <c>delta</c>: the next piece of the answer. All deltas joined are the answer.</summary>
/// <example>{ "text": "Paris is" }</example>
/// <param name="Text">Text added since the previous delta.</param>
public sealed record AskStreamDeltaEvent(string Text);
