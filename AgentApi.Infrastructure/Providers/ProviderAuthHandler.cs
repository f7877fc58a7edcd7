using System.Net.Http.Headers;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// Adds the provider's key as a header: <c>x-goog-api-key</c> for Gemini, <c>Authorization: Bearer</c>
/// for OpenAI-compatible servers, and the operator's extra headers. The provider is the call's (<see cref="ProviderCall.Channel"/>):
/// one role's HttpClient serves all its providers. Keys never go into URLs, which end up in logs and traces.
/// </summary>
internal sealed class ProviderAuthHandler(ProviderChannel roleChannel) : DelegatingHandler
{
    public const string GeminiKeyHeader = "x-goog-api-key";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var channel = ProviderCall.From(request)?.Channel ?? roleChannel;
        foreach (var (name, value) in channel.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
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
