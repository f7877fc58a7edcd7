namespace AgentApi.Core.Providers;

/// <summary>The one name of each <see cref="FinishReason"/>, OpenAI's <c>finish_reason</c> values, in answers and metrics.</summary>
public static class FinishReasons
{
    public const string Stop = "stop";
    public const string Length = "length";
    public const string ToolCalls = "tool_calls";
    public const string ContentFilter = "content_filter";

    /// <summary>OpenAI's name; a reason it has no name for is <c>stop</c>.</summary>
    public static string Name(FinishReason reason) => reason switch
    {
        FinishReason.Length => Length,
        FinishReason.ToolCalls => ToolCalls,
        FinishReason.ContentFilter => ContentFilter,
        _ => Stop,
    };
}
