namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>
/// One event of <c>streamGenerateContent?alt=sse</c>: its <c>data</c> (a GenerateContentResponse chunk), or null for a
/// block without a data field, whose <see cref="Block"/> is then the raw text (the API may write an error object that way).
/// </summary>
internal sealed record GeminiStreamEvent(string? Data, string Block);
