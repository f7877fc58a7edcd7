namespace AgentApi.Core.Providers;

/// <summary>
/// One step of a streamed answer (<see cref="IChatModel.StreamAsync"/>): a piece of text as it arrives, or,
/// last of all, the whole answer with its usage and finish reason.
/// </summary>
/// <param name="Text">Text that arrived since the previous update; empty on the final update.</param>
/// <param name="Completion">Set on the final update only: the joined text, usage (from the stream's final usage chunk), finish reason and attempts.</param>
public sealed record ChatStreamUpdate(string Text, ChatCompletion? Completion = null)
{
    public static ChatStreamUpdate Delta(string text) => new(text);

    public static ChatStreamUpdate Final(ChatCompletion completion) => new(string.Empty, completion);
}
