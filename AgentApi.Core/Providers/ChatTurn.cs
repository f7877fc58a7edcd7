namespace AgentApi.Core.Providers;

/// <summary>An earlier turn of a conversation: who said it and what was said.</summary>
/// <param name="Role">The user or the assistant.</param>
/// <param name="Text">The turn's text.</param>
public sealed record ChatTurn(ChatRole Role, string Text);
