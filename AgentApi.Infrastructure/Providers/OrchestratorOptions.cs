using AgentApi.Core.Ask;
using AgentApi.Core.Configuration;
using AgentApi.Core.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Providers;

/// <summary>The orchestrator (Gemma) through Google's Gemini API or any OpenAI-compatible server, bound from the <c>Orchestrator</c> section.</summary>
public sealed class OrchestratorOptions() : ProviderOptions(ProviderProtocol.Gemini, "gemma-3-1b-it")
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Orchestrator";

    /// <summary>Google's endpoint, the default for the <c>gemini</c> protocol.</summary>
    public static readonly Uri GeminiBaseUrl = new("https://generativelanguage.googleapis.com/v1beta");

    /// <summary>A local Ollama, the default for the <c>openai</c> protocol.</summary>
    public static readonly Uri OllamaBaseUrl = new("http://localhost:11434/v1");

    /// <summary>Required on the Gemini API; OpenAI-compatible servers such as Ollama may need none.</summary>
    public override bool IsApiKeyRequired => Protocol == ProviderProtocol.Gemini;


    private protected override string SectionName => Section;

    private protected override Uri DefaultEndpoint => Protocol == ProviderProtocol.OpenAI ? OllamaBaseUrl : GeminiBaseUrl;
}
