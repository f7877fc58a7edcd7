using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AgentApi.Tests.Clients;

/// <summary>
/// The C# reader the README shows callers: the code between the README markers is copied there verbatim
/// (<see cref="ReadmeSnippetTests"/> fails when the two differ), and the streaming tests read through it.
/// </summary>
public static class AskStreamReader
{
    // README-BEGIN csharp
    /// <summary>POSTs to /api/ask/stream and yields each event's name and JSON data as it arrives.</summary>
    public static async IAsyncEnumerable<(string Event, JsonElement Data)> ReadAskStreamAsync(
        HttpClient http, object body, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/ask/stream") { Content = JsonContent.Create(body) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode) // a failure before the first text: problem+json, as from /api/ask
        {
            throw new HttpRequestException(await response.Content.ReadAsStringAsync(cancellationToken), null, response.StatusCode);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var name = "message";
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                yield return (name, JsonSerializer.Deserialize<JsonElement>(line["data: ".Length..]));
            }
            else if (line.Length == 0)
            {
                name = "message"; // lines starting with ':' are heartbeats
            }
        }
    }
    // README-END csharp
}
