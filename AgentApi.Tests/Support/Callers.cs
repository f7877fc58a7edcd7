using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;

namespace AgentApi.Tests.Support;

/// <summary>Caller keys for tests, and asks sent with one.</summary>
public static class Callers
{
    public const string KeyA = "test-caller-key-alpha-5f2c9d1e8b7a";
    public const string KeyB = "test-caller-key-bravo-0a9b8c7d6e5f";

    /// <summary>The name a key from <c>AGENTAPI_API_KEYS</c> gets: <c>key-</c> and the first 8 hex digits of its SHA-256.</summary>
    public static string NameOf(string key) => "key-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];

    /// <summary>An <c>AGENTAPI_API_KEYS_FILE</c> line.</summary>
    public static string FileLine(string name, string key) => name + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Starts the app with <see cref="KeyA"/> and <see cref="KeyB"/> as its caller keys and one more setting, e.g. a limit.</summary>
    public static Task<AgentApiHost> StartWithKeysAsync(string variable, string value) => AgentApiHost.StartAsync(settings =>
    {
        settings["AGENTAPI_API_KEYS"] = KeyA + "," + KeyB;
        settings[variable] = value;
    });

    public static HttpRequestMessage Ask(object body, string? bearer = null, string? apiKey = null, string? cacheControl = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = JsonContent.Create(body) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        if (cacheControl is not null)
        {
            request.Headers.CacheControl = CacheControlHeaderValue.Parse(cacheControl);
        }

        return request;
    }

    public static async Task<HttpResponseMessage> AskWithKeyAsync(this AgentApiHost host, object body, string? bearer, string? apiKey = null, string? cacheControl = null)
    {
        using var request = Ask(body, bearer, apiKey, cacheControl);
        return await host.Client.SendAsync(request);
    }

    /// <summary>Everything NLog wrote under <paramref name="directory"/> to files matching <paramref name="pattern"/>, flushed first.</summary>
    public static string ReadLogs(string directory, string pattern = "*")
    {
        NLog.LogManager.Flush(TimeSpan.FromSeconds(10));
        if (!Directory.Exists(directory))
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }
}
