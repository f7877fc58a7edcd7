namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>A text part; <see cref="Thought"/> marks reasoning text that is not part of the answer.</summary>
internal sealed record GeminiPart(string? Text, bool? Thought = null);
