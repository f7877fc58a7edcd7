namespace AgentApi.Core.Providers;

/// <summary>OpenAI's <c>tool_choice</c>: a mode, or the one function the model must call.</summary>
/// <param name="Mode">The mode.</param>
/// <param name="Name">The function's name when <paramref name="Mode"/> is <see cref="ToolChoiceMode.Function"/>.</param>
public sealed record ToolChoice(ToolChoiceMode Mode, string? Name = null)
{
    public static readonly ToolChoice None = new(ToolChoiceMode.None);
    public static readonly ToolChoice Auto = new(ToolChoiceMode.Auto);
    public static readonly ToolChoice Required = new(ToolChoiceMode.Required);

    public static ToolChoice Function(string name) => new(ToolChoiceMode.Function, name);

    /// <summary>The choice as one string (<c>none</c>, <c>auto</c>, <c>required</c>, <c>function:NAME</c>), for the cache key.</summary>
    public override string ToString() => Mode switch
    {
        ToolChoiceMode.None => "none",
        ToolChoiceMode.Auto => "auto",
        ToolChoiceMode.Required => "required",
        _ => "function:" + Name,
    };
}
