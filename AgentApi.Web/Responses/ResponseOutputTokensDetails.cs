namespace AgentApi.Web.Responses;

/// <summary><c>usage.output_tokens_details</c>: the executor is not a reasoning model.</summary>
internal sealed record ResponseOutputTokensDetails(int ReasoningTokens)
{
    public static readonly ResponseOutputTokensDetails None = new(0);
}
