namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>
/// Body of <c>models/{model}:generateContent</c> and <c>:streamGenerateContent</c>. Null members are not sent: Gemma
/// rejects <c>systemInstruction</c> even when empty, and <c>tools</c> at all.
/// </summary>
internal sealed record GenerateContentRequest(
    IReadOnlyList<GeminiContent> Contents,
    GeminiContent? SystemInstruction = null,
    GenerationConfig? GenerationConfig = null)
{
    public IReadOnlyList<GeminiTool>? Tools { get; init; }

    public GeminiToolConfig? ToolConfig { get; init; }
}
