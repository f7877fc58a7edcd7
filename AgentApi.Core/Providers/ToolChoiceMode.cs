namespace AgentApi.Core.Providers;

/// <summary>Whether and which tool the model must call (OpenAI's <c>tool_choice</c>).</summary>
public enum ToolChoiceMode
{
    /// <summary>The model answers in text and calls no tool.</summary>
    None,

    /// <summary>The model chooses between text and calls.</summary>
    Auto,

    /// <summary>The model must call one or more tools.</summary>
    Required,

    /// <summary>The model must call the named function.</summary>
    Function,
}
