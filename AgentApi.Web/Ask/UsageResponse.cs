using AgentApi.Core.Ask;
using AgentApi.Core.Providers;

namespace AgentApi.Web.Ask;

/// <summary>Token totals over both steps.</summary>
public sealed record UsageResponse(int InputTokens, int OutputTokens, int TotalTokens)
{
    private static readonly UsageResponse None = From(TokenUsage.None);

    internal static UsageResponse From(TokenUsage usage) => new(usage.Input, usage.Output, usage.Total);

    /// <summary>What this request spent: the answer's usage when it produced it, nothing when it came from the cache.</summary>
    internal static UsageResponse Spent(AskResult result) => result.Cached ? None : From(result.Answer.Usage);
}
