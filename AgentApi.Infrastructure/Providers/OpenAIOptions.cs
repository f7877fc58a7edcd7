namespace AgentApi.Infrastructure.Providers;

/// <summary>The executor: OpenAI Chat Completions or a compatible server.</summary>
public sealed class OpenAIOptions
{
    /// <summary><c>OPENAI_API_KEY</c>; required (any non-empty string for Ollama).</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>OPENAI_EXECUTOR_MODEL</c>, default <c>gpt-4o-mini</c>.</summary>
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary><c>OPENAI_BASE_URL</c>, default <c>https://api.openai.com/v1</c>.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.openai.com/v1");
}
