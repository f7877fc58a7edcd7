using System.Text;
using System.Text.Json;

namespace AgentApi.Tests.Support;

/// <summary>The two files NLog writes to a host's <c>LOG_DIR</c>, read while NLog keeps them open, each read flushed first.</summary>
public static class LogFiles
{
    public const string Text = "agentapi.log";
    public const string Json = "agentapi.json";

    /// <summary>Writes what NLog's asynchronous targets still queue.</summary>
    public static void Flush() => NLog.LogManager.Flush(TimeSpan.FromSeconds(10));

    /// <summary>The size in bytes of <paramref name="name"/> (0 while it does not exist).</summary>
    public static long Size(string directory, string name)
    {
        Flush();
        var file = new FileInfo(Path.Combine(directory, name));
        return file.Exists ? file.Length : 0;
    }

    /// <summary>What was written to <paramref name="name"/> from byte <paramref name="offset"/> on.</summary>
    public static string ReadFrom(string directory, string name, long offset = 0)
    {
        Flush();
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The JSON file's events (one object a line) whose <c>requestId</c> is <paramref name="requestId"/>.</summary>
    public static List<JsonElement> JsonEventsOf(string directory, string requestId) =>
        [.. ReadFrom(directory, Json).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
            {
                using var document = JsonDocument.Parse(line);
                return document.RootElement.Clone();
            })
            .Where(e => e.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == requestId)];

    /// <summary>
    /// Returns once neither file has grown for 250 ms: a request's summary line is written after its response,
    /// so a test that reads right after the response may miss it.
    /// </summary>
    public static async Task SettledAsync(string directory)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var sizes = Size(directory, Text) + Size(directory, Json);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            var now = Size(directory, Text) + Size(directory, Json);
            if (now == sizes)
            {
                return;
            }

            sizes = now;
        }

        Assert.Fail("The log files kept growing for 10 s.");
    }
}
