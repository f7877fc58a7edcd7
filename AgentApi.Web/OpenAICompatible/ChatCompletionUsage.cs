using AgentApi.Core.Providers;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>Tokens of the orchestrator and the executor together.</summary>
internal sealed record ChatCompletionUsage(int PromptTokens, int CompletionTokens, int TotalTokens)
{
    public static ChatCompletionUsage From(TokenUsage usage) => new(usage.Input, usage.Output, usage.Total);
}
