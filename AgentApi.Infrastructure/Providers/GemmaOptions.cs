namespace AgentApi.Infrastructure.Providers;

/// <summary>The orchestrator: Gemma through Google's Gemini API or any OpenAI-compatible server.</summary>
public sealed class GemmaOptions
{
    public static readonly Uri GeminiBaseUrl = new("https://generativelanguage.googleapis.com/v1beta");

    /// <summary><c>GEMMA_API_KEY</c>; required for the <c>gemini</c> provider, optional for OpenAI-compatible servers such as Ollama.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>GEMMA_ORCHESTRATOR_MODEL</c>, default <c>gemma-3-1b-it</c> (Ollama: e.g. <c>gemma3:1b</c>).</summary>
    public string Model { get; set; } = "gemma-3-1b-it";

    /// <summary><c>GEMMA_PROVIDER</c>: <c>gemini</c> (default) or <c>openai</c>.</summary>
    public string Provider { get; set; } = ProviderProtocol.Gemini;

    /// <summary><c>GEMMA_BASE_URL</c>, default Google's v1beta endpoint.</summary>
    public Uri BaseUrl { get; set; } = GeminiBaseUrl;
}
