using AgentApi.Core.Ask;

namespace AgentApi.Web.Ask;

/// <summary>One step of the pipeline.</summary>
/// <param name="Provider">The provider that answered, by name: the built-in <c>gemini</c> or <c>openai</c>, or one of the routes file's providers.</param>
/// <param name="Model">Model id that answered.</param>
/// <param name="InputTokens">Tokens read.</param>
/// <param name="OutputTokens">Tokens written.</param>
/// <param name="DurationMs">Step time in milliseconds including retries; null when the step did not run for this request.</param>
/// <param name="Attempts">HTTP attempts the step took; 0 when it did not call the provider.</param>
/// <param name="FallbackFrom">The models tried before the one that answered, in order, each with why it did not answer; empty when the first answered.</param>
public sealed record StepResponse(string Provider, string Model, int InputTokens, int OutputTokens, double? DurationMs, int Attempts, IReadOnlyList<FallbackResponse> FallbackFrom)
{
    internal static StepResponse From(StepResult step) =>
        new(step.Provider, step.Model, step.Usage.Input, step.Usage.Output, step.DurationMs is { } ms ? Math.Round(ms, 2) : null, step.Attempts,
            step.FallbackFrom.Count == 0 ? [] : [.. step.FallbackFrom.Select(FallbackResponse.From)]);
}
