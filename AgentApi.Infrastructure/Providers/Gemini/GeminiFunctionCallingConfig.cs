namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary><c>AUTO</c>, <c>ANY</c> (must call; <see cref="AllowedFunctionNames"/> narrows which) or <c>NONE</c>.</summary>
internal sealed record GeminiFunctionCallingConfig(string Mode, IReadOnlyList<string>? AllowedFunctionNames = null);
