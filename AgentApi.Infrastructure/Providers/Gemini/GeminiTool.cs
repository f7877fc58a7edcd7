namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>A tool of the request: the caller's functions, all in one tool.</summary>
internal sealed record GeminiTool(IReadOnlyList<GeminiFunctionDeclaration> FunctionDeclarations);
