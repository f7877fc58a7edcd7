using System.Net.Http.Headers;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// Adds the provider's key as a header: <c>x-goog-api-key</c> for Gemini, <c>x-api-key</c> (with the required
/// <c>anthropic-version</c>) for Anthropic, <c>Authorization: Bearer</c> for OpenAI-compatible servers; and the operator's
/// extra headers. The provider is the call's (<see cref="ProviderCall.Channel"/>): one role's HttpClient serves all its
/// providers. Keys never go into URLs, which end up in logs and traces.
/// </summary>
internal sealed class ProviderAuthHandler(ProviderChannel roleChannel) : DelegatingHandler
{
    public const string GeminiKeyHeader = "x-goog-api-key";
    public const string AnthropicKeyHeader = "x-api-key";
    public const string AnthropicVersionHeader = "anthropic-version";

    /// <summary>The Messages API version AgentApi speaks: the one every official SDK sends, and the only stable one.</summary>
    public const string AnthropicVersion = "2023-06-01";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var channel = ProviderCall.From(request)?.Channel ?? roleChannel;
        foreach (var (name, value) in channel.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (channel.Protocol == ProviderProtocol.Anthropic)
        {
            request.Headers.Remove(AnthropicVersionHeader);
            request.Headers.TryAddWithoutValidation(AnthropicVersionHeader, AnthropicVersion);
            if (!string.IsNullOrEmpty(channel.ApiKey))
            {
                request.Headers.Remove(AnthropicKeyHeader);
                request.Headers.TryAddWithoutValidation(AnthropicKeyHeader, channel.ApiKey);
            }

            return base.SendAsync(request, cancellationToken);
        }

        if (!string.IsNullOrEmpty(channel.ApiKey))
        {
            if (channel.Protocol == ProviderProtocol.Gemini)
            {
                request.Headers.Remove(GeminiKeyHeader);
                request.Headers.TryAddWithoutValidation(GeminiKeyHeader, channel.ApiKey);
            }
            else
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", channel.ApiKey);
            }
        }

        return base.SendAsync(request, cancellationToken);
    }
}
