using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers.Resilience;
using Microsoft.Extensions.Logging;

namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>A model behind OpenAI Chat Completions or a compatible server (Ollama, vLLM, Google's compatible endpoint).</summary>
internal sealed class OpenAIChatModel(IOpenAIApi api, ProviderChannel channel, ProviderPolicies policies, ILogger<OpenAIChatModel> logger)
    : ProviderChatModel(channel, policies, logger)
{
    protected override async Task<ChatCompletion> SendAsync(ChatRequest request, ProviderCall call, CancellationToken cancellationToken)
    {
        var response = await api.CreateChatCompletionAsync(BuildRequest(Channel, request), call, cancellationToken);
        var content = ContentOf(response, call);
        if (content.Choices is not { Count: > 0 } choices)
        {
            throw InvalidResponse(call, "returned no choices");
        }

        var choice = choices[0];
        var usage = content.Usage is { } u ? new TokenUsage(u.PromptTokens, u.CompletionTokens) : TokenUsage.None;
        var finish = choice.Message?.Refusal is not null ? FinishReason.ContentFilter : MapFinishReason(choice.FinishReason);
        return new ChatCompletion(choice.Message?.Content ?? string.Empty, content.Model ?? Channel.Model, usage, finish);
    }

    internal static ChatCompletionRequest BuildRequest(ProviderChannel channel, ChatRequest request)
    {
        var messages = new List<ChatMessage>((request.History?.Count ?? 0) + 2);
        if (!string.IsNullOrEmpty(request.SystemInstruction))
        {
            messages.Add(new ChatMessage("system", request.SystemInstruction));
        }

        foreach (var turn in request.History ?? [])
        {
            messages.Add(new ChatMessage(turn.Role == ChatRole.User ? "user" : "assistant", turn.Text));
        }

        messages.Add(new ChatMessage("user", request.UserMessage));

        // OpenAI deprecated max_tokens for max_completion_tokens; Ollama reads only max_tokens.
        var isOpenAI = channel.BaseUrl.Host.Equals("api.openai.com", StringComparison.OrdinalIgnoreCase);
        return new ChatCompletionRequest(
            channel.Model,
            messages,
            MaxCompletionTokens: isOpenAI ? request.MaxOutputTokens : null,
            MaxTokens: isOpenAI ? null : request.MaxOutputTokens,
            Temperature: request.Temperature);
    }

    internal static FinishReason MapFinishReason(string? reason) => reason switch
    {
        "stop" or null => FinishReason.Stop,
        "length" => FinishReason.Length,
        "content_filter" => FinishReason.ContentFilter,
        _ => FinishReason.Other,
    };
}
