namespace AgentApi.Infrastructure.Providers;

/// <summary>The wire protocols a provider may speak.</summary>
public static class ProviderProtocol
{
    public const string Gemini = "gemini";
    public const string OpenAI = "openai";
    public const string Anthropic = "anthropic";

    /// <summary>
    /// The GenAI semantic conventions' <c>gen_ai.provider.name</c> of a protocol: the API's flavour, whoever serves it
    /// (an OpenAI-compatible Ollama is <c>openai</c>); <c>gcp.gemini</c> for Google's Gemini API; else the protocol's own name.
    /// </summary>
    public static string GenAiProviderName(string protocol) => protocol == Gemini ? "gcp.gemini" : protocol;

    /// <summary>The conventions' <c>gen_ai.operation.name</c>: <c>generate_content</c> for Gemini's generateContent, <c>chat</c> for chat APIs.</summary>
    public static string GenAiOperationName(string protocol) => protocol == Gemini ? "generate_content" : "chat";
}
