namespace AgentApi.Web.Responses;

/// <summary><c>usage.input_tokens_details</c>: the provider's prompt cache is not reported.</summary>
internal sealed record ResponseInputTokensDetails(int CachedTokens)
{
    public static readonly ResponseInputTokensDetails None = new(0);
}
