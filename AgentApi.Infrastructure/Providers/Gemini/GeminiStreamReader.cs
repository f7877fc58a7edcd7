using System.Text;

namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>
/// Reads <c>streamGenerateContent?alt=sse</c> one event at a time as it arrives. Events end with a blank line (LF or
/// CRLF, both seen); <c>data:</c> lines of one event are joined with LF, comments are skipped, and a block without a
/// data field is handed over raw, as Google's SDKs read it (an error object). Gemini sends no terminator: the body
/// ends after the last event, so a body that ends inside an event was cut. Waiting longer than <c>stallTimeout</c>
/// for the next line is a <see cref="TimeoutException"/>.
/// </summary>
internal sealed class GeminiStreamReader(Stream stream, TimeSpan stallTimeout) : IDisposable
{
    private readonly StreamLineReader _lines = new(stream, stallTimeout);

    /// <summary>The next event, or null when the body ended after a whole event.</summary>
    /// <exception cref="IOException">The body ended inside an event.</exception>
    /// <exception cref="TimeoutException">No line arrived within the stall timeout.</exception>
    public async ValueTask<GeminiStreamEvent?> ReadEventAsync(CancellationToken cancellationToken)
    {
        StringBuilder? data = null;
        StringBuilder? block = null;
        while (await _lines.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (block is not null)
                {
                    return new GeminiStreamEvent(data?.ToString(), block.ToString());
                }

                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            block = Append(block, line);
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                var value = line.AsSpan("data:".Length);
                if (value.Length > 0 && value[0] == ' ')
                {
                    value = value[1..];
                }

                data = Append(data, value);
            }
        }

        return block is null ? null : throw new IOException("The answer stream ended in the middle of an event.");
    }

    public void Dispose() => _lines.Dispose();

    private static StringBuilder Append(StringBuilder? lines, ReadOnlySpan<char> line) =>
        lines is null ? new StringBuilder().Append(line) : lines.Append('\n').Append(line);
}
