using System.Net.Sockets;
using System.Text;

namespace AgentApi.Tests.Support;

/// <summary>
/// HTTP/1.1 written by hand over a socket, for what <see cref="HttpClient"/> refuses to send: malformed
/// <c>Host</c> headers, oversized headers, broken request lines.
/// </summary>
public static class RawHttp
{
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>Sends <paramref name="head"/> (request line and headers, CRLF-separated, without the final blank line) and reads the response.</summary>
    public static Task<Response> SendAsync(Uri baseUrl, string head, string? body = null, TimeSpan? timeout = null) =>
        SendRawAsync(baseUrl, head + "\r\n" + (body is null ? "Connection: close\r\n\r\n" : $"Connection: close\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}"), timeout);

    /// <summary>Sends <paramref name="request"/> exactly as given (it should ask for <c>Connection: close</c>) and reads the response until the server closes.</summary>
    public static async Task<Response> SendRawAsync(Uri baseUrl, string request, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(baseUrl.Host, baseUrl.Port, cancellation.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), cancellation.Token);

        using var buffer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(buffer, cancellation.Token);
        }
        catch (IOException)
        {
            // The server may reset the connection after answering a request it could not parse.
        }

        return Parse(buffer.ToArray());
    }

    public static Response Parse(byte[] raw)
    {
        var split = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (split < 0)
        {
            throw new InvalidOperationException($"No HTTP response: '{Encoding.UTF8.GetString(raw)}'");
        }

        var lines = Encoding.ASCII.GetString(raw, 0, split).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = raw[(split + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new Response(status, headers, Encoding.UTF8.GetString(body));
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        using var result = new MemoryStream();
        var position = 0;
        while (position < chunked.Length)
        {
            var lineEnd = position + chunked.AsSpan(position).IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, position, lineEnd - position).Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }

            result.Write(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return result.ToArray();
    }
}
