using AgentApi.Core.Ask;

namespace AgentApi.Web.Pipeline;

/// <summary>Why an answer ended, as every door writes it (OpenAI's <c>finish_reason</c> values).</summary>
internal static class FinishReasons
{
    public const string Stop = "stop";
    public const string Length = "length";
    public const string ContentFilter = "content_filter";

    public static string Of(AskAnswer answer) => answer.Truncated ? Length : Stop;
}
