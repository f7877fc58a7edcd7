namespace AgentApi.Core.Providers;

/// <summary>A model's answer.</summary>
/// <param name="Text">The generated text (possibly partial when <paramref name="FinishReason"/> is <see cref="FinishReason.Length"/>).</param>
/// <param name="Model">The model id that answered, as the provider reports it.</param>
/// <param name="Usage">Tokens read and written.</param>
/// <param name="FinishReason">Why generation stopped.</param>
/// <param name="Attempts">HTTP attempts it took, including retries.</param>
public sealed record ChatCompletion(string Text, string Model, TokenUsage Usage, FinishReason FinishReason, int Attempts = 1);
