using Refit;

namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>OpenAI Chat Completions or a compatible server (Ollama, vLLM). Auth is a bearer header added by <see cref="ProviderAuthHandler"/>.</summary>
internal interface IOpenAIApi
{
    [Post("/chat/completions")]
    Task<IApiResponse<ChatCompletionResponse>> CreateChatCompletionAsync(
        [Body(buffered: true)] ChatCompletionRequest request,
        [Property(ProviderCall.OptionKey)] ProviderCall call,
        CancellationToken cancellationToken);
}
