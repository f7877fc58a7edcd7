using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AgentApi.Tests.Clients;

/// <summary>
/// The C# reader docs/streaming.md shows callers, as a local function of its <c>Program.cs</c>: the lines between the
/// DOCS markers are copied there verbatim (<see cref="Docs.DocsSnippetTests"/> fails when the two differ), and the
/// streaming tests read through it.
/// </summary>
public static class AskStreamReader
{
    public static IAsyncEnumerable<(string Event, JsonElement Data)> ReadAskStreamAsync(HttpClient http, object body, CancellationToken cancellationToken = default)
    {
        // The local function below, not this method: a local function is found first.
        return ReadAskStreamAsync(http, body, cancellationToken);

        // DOCS-BEGIN csharp
        // POSTs to /api/ask/stream and yields each event's name and JSON data as it arrives.
        static async IAsyncEnumerable<(string Event, JsonElement Data)> ReadAskStreamAsync(
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
        // DOCS-END csharp
    }
}
