using System.Net.Http.Headers;
using System.Text;
using AgentApi.Core.Diagnostics;

namespace AgentApi.Infrastructure;

/// <summary>The warm-up's loopback client: its own connection, no proxy, no redirects, closed when the warm-up ends.</summary>
internal sealed class WarmUpClient : IWarmUpClient
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public IWarmUpSession Open(Uri address, string host, string markerHeader, string markerValue)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = address };
        client.DefaultRequestHeaders.Host = host;
        client.DefaultRequestHeaders.Add(markerHeader, markerValue);

        // The warm-up's answers come from canned replies: neither read from nor written to the cache.
        client.DefaultRequestHeaders.CacheControl = new CacheControlHeaderValue { NoStore = true };
        return new Session(client);
    }

    private sealed class Session(HttpClient client) : IWarmUpSession
    {
        public async Task<int> PostJsonAsync(string path, string json, CancellationToken cancellationToken)
        {
            using var body = new StringContent(json, Encoding.UTF8);
            body.Headers.ContentType = Json;
            using var response = await client.PostAsync(new Uri(path, UriKind.Relative), body, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return (int)response.StatusCode;
        }

        public void Dispose() => client.Dispose();
    }
}
