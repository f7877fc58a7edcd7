namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>A turn: role <c>user</c> or <c>model</c> (Gemini has no system or assistant role).</summary>
internal sealed record GeminiContent(string? Role, IReadOnlyList<GeminiPart>? Parts);
