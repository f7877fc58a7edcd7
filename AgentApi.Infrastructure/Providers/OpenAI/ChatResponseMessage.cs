namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>The assistant's message; <see cref="Refusal"/> is set when the model declined.</summary>
internal sealed record ChatResponseMessage(string? Role, string? Content, string? Refusal);
