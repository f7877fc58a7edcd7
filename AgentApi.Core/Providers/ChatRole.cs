namespace AgentApi.Core.Providers;

/// <summary>Who spoke an earlier turn of a conversation.</summary>
public enum ChatRole
{
    /// <summary>The person asking.</summary>
    User,

    /// <summary>The model's earlier answer, or its tool calls.</summary>
    Assistant,

    /// <summary>The result of a tool call, written by the caller's code.</summary>
    Tool,
}
