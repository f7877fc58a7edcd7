using AgentApi.Core.Ask;

namespace AgentApi.Infrastructure.Caching;

/// <summary>
/// Carries an answer out of a HybridCache factory without storing it. HybridCache hands a
/// factory's exception to every caller that joined the same key, so a degraded (fallback or
/// truncated) answer still reaches them all, and nothing is cached.
/// </summary>
internal sealed class UncacheableAnswerException(AskAnswer answer) : Exception("The answer is served but not cached.")
{
    public AskAnswer Answer { get; } = answer;
}
