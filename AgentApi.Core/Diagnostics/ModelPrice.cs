using AgentApi.Core.Providers;

namespace AgentApi.Core.Diagnostics;

/// <summary>What a model costs, in US dollars per million tokens read and written.</summary>
/// <param name="InputPerMillion">USD per 1M input (prompt) tokens.</param>
/// <param name="OutputPerMillion">USD per 1M output (completion) tokens.</param>
public readonly record struct ModelPrice(double InputPerMillion, double OutputPerMillion)
{
    /// <summary>The estimated cost of <paramref name="usage"/> in USD.</summary>
    public double CostOf(TokenUsage usage) =>
        ((usage.Input * InputPerMillion) + (usage.Output * OutputPerMillion)) / 1_000_000;
}
