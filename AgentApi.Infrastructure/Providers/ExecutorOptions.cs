using AgentApi.Core.Ask;
using AgentApi.Core.Configuration;
using AgentApi.Core.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Providers;

/// <summary>The executor through OpenAI Chat Completions or a compatible server (or Anthropic's Messages API), bound from the <c>Executor</c> section.</summary>
public sealed class ExecutorOptions() : ProviderOptions(ProviderProtocol.OpenAI, "gpt-4o-mini")
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Executor";

    /// <summary>OpenAI's endpoint, the default for the <c>openai</c> protocol.</summary>
    public static readonly Uri OpenAIBaseUrl = new("https://api.openai.com/v1");

    /// <summary>Anthropic's endpoint, the default for the <c>anthropic</c> protocol.</summary>
    public static readonly Uri AnthropicBaseUrl = new("https://api.anthropic.com/v1");

    /// <summary>The executor also speaks Anthropic's Messages API.</summary>
    internal override IReadOnlyList<string> Protocols { get; } = [ProviderProtocol.Gemini, ProviderProtocol.OpenAI, ProviderProtocol.Anthropic];

    /// <summary>Always required (any non-empty string for Ollama).</summary>
    public override bool IsApiKeyRequired => true;


    private protected override string SectionName => Section;

    private protected override Uri DefaultEndpoint => Protocol switch
    {
        ProviderProtocol.Gemini => OrchestratorOptions.GeminiBaseUrl,
        ProviderProtocol.Anthropic => AnthropicBaseUrl,
        _ => OpenAIBaseUrl,
    };
}
