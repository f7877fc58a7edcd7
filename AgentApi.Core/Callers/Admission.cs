namespace AgentApi.Core.Callers;

/// <summary>
/// An ask let in (or not) under a caller's limits. While it lasts it holds a concurrency place and a token
/// reservation; <see cref="SettleAsync"/> replaces the reservation with what the ask spent, disposing gives the place
/// back. Tokens a provider call reports after that (one another caller kept alive) are added by <see cref="ChargeLate"/>.
/// </summary>
public sealed class Admission : IAsyncDisposable
{
    private readonly Func<long, ValueTask>? _settle;
    private readonly Func<long, ValueTask>? _charge;
    private readonly Func<ValueTask>? _exit;
    private bool _settled;
    private bool _exited;

    internal Admission(LimitRefusal? refusal, RequestWindow? window, Func<long, ValueTask>? settle, Func<long, ValueTask>? charge, Func<ValueTask>? exit)
    {
        Refusal = refusal;
        Window = window;
        _settle = settle;
        _charge = charge;
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

    /// <summary>Adds <paramref name="tokens"/> spent after the ask was settled; never throws (it runs on the provider call's path).</summary>
    public void ChargeLate(long tokens)
    {
        if (_charge is not null && tokens > 0)
        {
            _ = _charge(tokens).AsTask().ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
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
