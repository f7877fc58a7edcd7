namespace AgentApi.Web.Responses;

/// <summary>Why a response is <c>incomplete</c>: <c>max_output_tokens</c> or <c>content_filter</c>.</summary>
internal sealed record ResponseIncompleteDetails(string Reason)
{
    public static readonly ResponseIncompleteDetails MaxOutputTokens = new("max_output_tokens");
    public static readonly ResponseIncompleteDetails ContentFilter = new("content_filter");
}
