namespace AgentApi.Core.Callers;

/// <summary>
/// An ask let in (or not) under a caller's limits. While it lasts it holds a concurrency place and a token
/// reservation; <see cref="SettleAsync"/> replaces the reservation with the real usage, disposing gives the place back.
/// </summary>
public sealed class Admission : IAsyncDisposable
{
    private readonly Func<long, ValueTask>? _settle;
    private readonly Func<ValueTask>? _exit;
    private bool _settled;
    private bool _exited;

    internal Admission(LimitRefusal? refusal, RequestWindow? window, Func<long, ValueTask>? settle, Func<ValueTask>? exit)
    {
        Refusal = refusal;
        Window = window;
        _settle = settle;
        _exit = exit;
    }

    /// <summary>Null when the ask may go ahead.</summary>
    public LimitRefusal? Refusal { get; }

    /// <summary>The per-minute window after this request, when that limit is on.</summary>
    public RequestWindow? Window { get; }

    public bool Allowed => Refusal is null;

    /// <summary>Charges <paramref name="tokens"/> (0 for a cache hit) instead of the estimate reserved at admission.</summary>
    public async ValueTask SettleAsync(long tokens)
    {
        if (_settled)
        {
            return;
        }

        _settled = true;
        if (_settle is not null)
        {
            await _settle(tokens);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_exited)
        {
            return;
        }

        _exited = true;
        if (_exit is not null)
        {
            await _exit();
        }
    }
}
