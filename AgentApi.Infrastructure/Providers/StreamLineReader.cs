using System.Text;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// The lines of a provider's answer stream as they arrive, for the protocols' event readers (<see cref="SseReader"/>, Gemini's).
/// Waiting longer than <c>stallTimeout</c> for the next line is a <see cref="TimeoutException"/>: a provider that stops
/// sending mid-answer must not hold the caller until the request deadline.
/// </summary>
internal sealed class StreamLineReader(Stream stream, TimeSpan stallTimeout) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);

    /// <summary>The next line (LF, CRLF or CR ended), or null at the end of the stream.</summary>
    /// <exception cref="TimeoutException">No line arrived within the stall timeout.</exception>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(stallTimeout);
        try
        {
            return await _reader.ReadLineAsync(stall.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No data for {stallTimeout.TotalSeconds:0.#} s in the middle of the answer stream.", ex);
        }
    }

    public void Dispose() => _reader.Dispose();
}
