using AgentApi.Core.Providers;

namespace AgentApi.Web.Responses;

/// <summary>A response's <c>usage</c>: both steps' tokens this request spent (none for an answer from the cache).</summary>
internal sealed record ResponseUsage(int InputTokens, ResponseInputTokensDetails InputTokensDetails, int OutputTokens, ResponseOutputTokensDetails OutputTokensDetails, int TotalTokens)
{
    public static ResponseUsage From(TokenUsage usage) =>
        new(usage.Input, ResponseInputTokensDetails.None, usage.Output, ResponseOutputTokensDetails.None, usage.Total);
}
