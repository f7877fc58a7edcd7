namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>Sampling settings. Only what is set is sent; JSON mode is never used (Gemma rejects it).</summary>
internal sealed record GenerationConfig(int? MaxOutputTokens = null, double? Temperature = null);
