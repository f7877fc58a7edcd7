using System.Text;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// Reads server-sent events one at a time, as they arrive (the WHATWG event-stream rules: lines end in LF,
/// CRLF or CR; <c>data:</c> lines of one event are joined with LF; the last <c>event:</c> line names it, else it
/// is a <c>message</c>; a blank line ends the event; comments and other fields are skipped). Waiting longer
/// than <c>stallTimeout</c> for the next line is a <see cref="TimeoutException"/>: a provider that stops sending
/// mid-answer must not hold the caller until the request deadline.
/// </summary>
internal sealed class SseReader(Stream stream, TimeSpan stallTimeout) : IDisposable
{
    private const string DefaultEventType = "message";

    private readonly StreamLineReader _lines = new(stream, stallTimeout);

    /// <summary>The next event's data, or null when the stream ended (an unterminated last event is dropped, as the standard says).</summary>
    /// <exception cref="TimeoutException">No line arrived within the stall timeout.</exception>
    public async ValueTask<string?> ReadDataAsync(CancellationToken cancellationToken) =>
        (await ReadEventAsync(cancellationToken))?.Data;

    /// <summary>The next event (its type and data), or null when the stream ended.</summary>
    /// <exception cref="TimeoutException">No line arrived within the stall timeout.</exception>
    public async ValueTask<SseEvent?> ReadEventAsync(CancellationToken cancellationToken)
    {
        StringBuilder? data = null;
        string? type = null;
        while (await _lines.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return new SseEvent(type ?? DefaultEventType, data.ToString());
                }

                // An event without data is not dispatched; its type does not carry over.
                type = null;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            if (field is not ("data" or "event"))
            {
                continue;
            }

            var value = colon < 0 ? string.Empty : line.AsSpan(colon + 1);
            if (value.Length > 0 && value[0] == ' ')
            {
                value = value[1..];
            }

            if (field == "event")
            {
                type = value.Length == 0 ? null : value.ToString();
                continue;
            }

            if (data is null)
            {
                data = new StringBuilder();
            }
            else
            {
                data.Append('\n');
            }

            data.Append(value);
        }

        return null;
    }

    public void Dispose() => _lines.Dispose();
}
