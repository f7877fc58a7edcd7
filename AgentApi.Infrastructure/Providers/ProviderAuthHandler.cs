using System.Net.Http.Headers;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// Adds the provider's key as a header: <c>x-goog-api-key</c> for Gemini, <c>Authorization: Bearer</c>
/// for OpenAI-compatible servers. Keys never go into URLs, which end up in logs and traces.
/// </summary>
internal sealed class ProviderAuthHandler(ProviderChannel channel) : DelegatingHandler
{
    public const string GeminiKeyHeader = "x-goog-api-key";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
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
