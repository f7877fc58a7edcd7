using AgentApi.Core.Providers;

namespace AgentApi.Core.Ask;

/// <summary>Tokens an ask spent at each model.</summary>
/// <param name="Orchestrator">The orchestrator's tokens.</param>
/// <param name="Executor">The executor's tokens.</param>
/// <param name="Estimated">True when a call was cut before the provider reported its usage and part of the figures is an estimate.</param>
public sealed record AskSpend(TokenUsage Orchestrator, TokenUsage Executor, bool Estimated)
{
    public static readonly AskSpend None = new(TokenUsage.None, TokenUsage.None, Estimated: false);

    public long Total => (long)Orchestrator.Total + Executor.Total;
}
