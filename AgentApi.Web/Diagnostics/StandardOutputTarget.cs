using System.Buffers;
using System.Text;
using NLog;
using NLog.Common;
using NLog.Targets;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// The console log (<c>xsi:type="StandardOutput"</c> in <c>nlog.config</c>): each batch of lines goes to standard
/// output in one write. NLog's Console target writes through <see cref="Console.Out"/>, whose writer flushes every
/// 256 characters, so a batch of request lines cost a system call per 256 bytes (about a tenth of a cache hit's
/// CPU in the benchmark); the lines and their order are the same.
/// </summary>
[Target(TypeName)]
internal sealed class StandardOutputTarget : TargetWithLayout
{
    public const string TypeName = "StandardOutput";

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly StringBuilder _batch = new();
    private readonly Encoder _encoder = Utf8.GetEncoder();
    private readonly Func<Stream> _open;
    private Stream? _output;

    public StandardOutputTarget()
        : this(Console.OpenStandardOutput)
    {
    }

    /// <summary>Writes to the stream <paramref name="open"/> gives when the target starts (tests).</summary>
    internal StandardOutputTarget(Func<Stream> open) => _open = open;

    protected override void InitializeTarget()
    {
        base.InitializeTarget();
        _output = _open();
    }

    protected override void CloseTarget()
    {
        _output?.Dispose();
        _output = null;
        base.CloseTarget();
    }

    protected override void Write(LogEventInfo logEvent)
    {
        _batch.Clear();
        Append(logEvent);
        Flush();
    }

    protected override void Write(IList<AsyncLogEventInfo> logEvents)
    {
        _batch.Clear();
        foreach (var logEvent in logEvents)
        {
            Append(logEvent.LogEvent);
        }

        Exception? failure = null;
        try
        {
            Flush();
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            failure = exception;
        }

        foreach (var logEvent in logEvents)
        {
            logEvent.Continuation(failure);
        }
    }

    private void Append(LogEventInfo logEvent) => _batch.Append(RenderLogEvent(Layout, logEvent)).Append(Environment.NewLine);

    private void Flush()
    {
        if (_output is null || _batch.Length == 0)
        {
            return;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(Utf8.GetMaxByteCount(_batch.Length));
        try
        {
            // One encoder across the builder's chunks: a character pair split between two chunks stays whole.
            _encoder.Reset();
            var length = 0;
            foreach (var chunk in _batch.GetChunks())
            {
                length += _encoder.GetBytes(chunk.Span, bytes.AsSpan(length), flush: false);
            }

            length += _encoder.GetBytes([], bytes.AsSpan(length), flush: true);

            _output.Write(bytes, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
