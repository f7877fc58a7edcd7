using System.ComponentModel;
using AgentApi.Core.Providers;

namespace AgentApi.Core.Ask;

/// <summary>What one step (orchestrator or executor) did.</summary>
/// <param name="Provider">The provider that answered, by name: the built-in <c>gemini</c> or <c>openai</c>, or one of the routes file's table.</param>
/// <param name="Model">Model id.</param>
/// <param name="Usage">Tokens read and written; zero when the step was skipped.</param>
/// <param name="DurationMs">Wall time of the step including retries; null when the step was skipped.</param>
/// <param name="Attempts">HTTP attempts made; 0 when skipped.</param>
[ImmutableObject(true)]
public sealed record StepResult(string Provider, string Model, TokenUsage Usage, double? DurationMs, int Attempts)
{
    /// <summary>The models tried before this one, in order, each with why it did not answer; empty when the first answered.</summary>
    public IReadOnlyList<FallbackAttempt> FallbackFrom { get; init; } = [];

    public static StepResult Skipped(ChatModelInfo model) => new(model.Provider, model.Model, TokenUsage.None, null, 0);
}
