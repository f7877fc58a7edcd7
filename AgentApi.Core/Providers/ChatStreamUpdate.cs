namespace AgentApi.Core.Providers;

/// <summary>
/// One step of a streamed answer (<see cref="IChatModel.StreamAsync"/>): a piece of text, of a tool call or of a
/// refusal as it arrives, or, last of all, the whole answer with its usage and finish reason.
/// </summary>
/// <param name="Text">Text that arrived since the previous update; empty on the final update and on tool-call and refusal pieces.</param>
/// <param name="Completion">Set on the final update only: the joined text and tool calls, usage (from the stream's final usage chunk), finish reason and attempts.</param>
public sealed record ChatStreamUpdate(string Text, ChatCompletion? Completion = null)
{
    /// <summary>A piece of a tool call; null on other updates.</summary>
    public ToolCallDelta? ToolCall { get; init; }

    /// <summary>A piece of the model's refusal; null on other updates.</summary>
    public string? Refusal { get; init; }

    /// <summary>True for a piece of the answer a reader may relay: text, a tool call or a refusal.</summary>
    public bool HasPiece => Text.Length > 0 || ToolCall is not null || !string.IsNullOrEmpty(Refusal);

    /// <summary>Characters of the answer this piece carries, for an estimate of the output tokens of a cut call.</summary>
    public int PieceCharacters => Text.Length + (Refusal?.Length ?? 0) + (ToolCall is { } call ? (call.Name?.Length ?? 0) + call.Arguments.Length : 0);

    public static ChatStreamUpdate Delta(string text) => new(text);

    public static ChatStreamUpdate ToolCallPiece(ToolCallDelta delta) => new(string.Empty) { ToolCall = delta };

    public static ChatStreamUpdate RefusalPiece(string text) => new(string.Empty) { Refusal = text };

    public static ChatStreamUpdate Final(ChatCompletion completion) => new(string.Empty, completion);
}
