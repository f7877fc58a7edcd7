namespace AgentApi.Core.Providers;

/// <summary>A model's answer.</summary>
/// <param name="Text">The generated text (possibly partial when <paramref name="FinishReason"/> is <see cref="FinishReason.Length"/>); empty when the model only called tools or refused.</param>
/// <param name="Model">The model id that answered, as the provider reports it.</param>
/// <param name="Usage">Tokens read and written.</param>
/// <param name="FinishReason">Why generation stopped.</param>
/// <param name="Attempts">HTTP attempts it took, including retries.</param>
public sealed record ChatCompletion(string Text, string Model, TokenUsage Usage, FinishReason FinishReason, int Attempts = 1)
{
    /// <summary>The functions the model called, in order; empty for none.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    /// <summary>The model's refusal (OpenAI's <c>refusal</c>, e.g. under structured outputs); null when it answered.</summary>
    public string? Refusal { get; init; }

    /// <summary>Characters the model wrote: text, refusal and tool calls, for an estimate of its output tokens.</summary>
    public long OutputCharacters => Text.Length + (Refusal?.Length ?? 0) + ToolCalls.Sum(call => (long)call.Name.Length + call.Arguments.Length);
}
