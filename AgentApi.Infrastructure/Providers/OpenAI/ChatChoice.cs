namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>One choice; <c>refusal</c> is not required (the spec's own examples omit it).</summary>
internal sealed record ChatChoice(int Index, ChatResponseMessage? Message, string? FinishReason);
