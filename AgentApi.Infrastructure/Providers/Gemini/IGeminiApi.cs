using Refit;

namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>Gemini Developer API. The key travels in the <c>x-goog-api-key</c> header (see <see cref="ProviderAuthHandler"/>), never in the URL.</summary>
internal interface IGeminiApi
{
    [Post("/models/{model}:generateContent")]
    Task<IApiResponse<GenerateContentResponse>> GenerateContentAsync(
        string model,
        [Body(buffered: true)] GenerateContentRequest request,
        [Property(ProviderCall.OptionKey)] ProviderCall call,
        CancellationToken cancellationToken);
}
