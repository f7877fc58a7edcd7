namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>Body of <c>models/{model}:generateContent</c>. Null members are not sent: Gemma rejects <c>systemInstruction</c> even when empty.</summary>
internal sealed record GenerateContentRequest(
    IReadOnlyList<GeminiContent> Contents,
    GeminiContent? SystemInstruction = null,
    GenerationConfig? GenerationConfig = null);
