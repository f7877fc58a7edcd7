namespace AgentApi.Infrastructure.Providers;

/// <summary>The wire protocols a provider may speak.</summary>
public static class ProviderProtocol
{
    public const string Gemini = "gemini";
    public const string OpenAI = "openai";
    public const string Anthropic = "anthropic";
}
