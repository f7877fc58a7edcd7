namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary>
/// <c>usage</c>. The input is <see cref="InputTokens"/> plus both cache counts (the API's own definition of the
/// total input). In a stream's <c>message_delta</c> the counts are cumulative and the input ones may be absent.
/// </summary>
internal sealed record AnthropicUsage(int? InputTokens, int? OutputTokens, int? CacheCreationInputTokens, int? CacheReadInputTokens)
{
    /// <summary>Every input token, or null when this usage carries no input count.</summary>
    public int? TotalInput => InputTokens is null && CacheCreationInputTokens is null && CacheReadInputTokens is null
        ? null
        : (InputTokens ?? 0) + (CacheCreationInputTokens ?? 0) + (CacheReadInputTokens ?? 0);
}
