using Refit;

namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary>
/// Anthropic's Messages API, relative to a base URL that carries the version (<c>https://api.anthropic.com/v1</c>).
/// The <c>x-api-key</c> and <c>anthropic-version</c> headers are added by <see cref="ProviderAuthHandler"/>.
/// </summary>
internal interface IAnthropicApi
{
    [Post("/messages")]
    Task<IApiResponse<AnthropicMessageResponse>> CreateMessageAsync(
        [Body(buffered: true)] AnthropicMessagesRequest request,
        [Property(ProviderCall.OptionKey)] ProviderCall call,
        CancellationToken cancellationToken);
}
