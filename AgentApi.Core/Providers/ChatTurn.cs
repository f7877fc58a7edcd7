namespace AgentApi.Core.Providers;

/// <summary>An earlier turn of a conversation: who said it and what was said, tool exchanges verbatim.</summary>
/// <param name="Role">The user, the assistant or a tool.</param>
/// <param name="Text">The turn's text; empty for an assistant turn that only calls tools.</param>
public sealed record ChatTurn(ChatRole Role, string Text)
{
    /// <summary>An assistant turn's tool calls, ids and arguments as the model wrote them; null for none.</summary>
    public IReadOnlyList<ToolCall>? ToolCalls { get; init; }

    /// <summary>A tool turn's answer to the call with this id; null for other turns.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>True for a turn of a tool exchange (an assistant's calls or a tool's result): never cut, reworded or split from its exchange.</summary>
    public bool IsToolExchange => Role == ChatRole.Tool || ToolCalls is { Count: > 0 };

    /// <summary>The turn's role as OpenAI and the orchestrator's input write it.</summary>
    public string RoleName => Role switch
    {
        ChatRole.User => "user",
        ChatRole.Tool => "tool",
        _ => "assistant",
    };
}
