using AgentApi.Core.Ask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Callers;

/// <summary>
/// Checks a caller's limits in order (requests per minute, asks in flight, tokens per day) in the shared store
/// when one is configured, and in this process when it is not or while it fails: a Redis outage turns shared
/// limits into per-replica ones (logged once, shown in <c>/healthz</c>) instead of failing asks.
/// </summary>
internal sealed class CallerLimiter(
    IOptions<CallerOptions> options,
    IOptions<AskOptions> askOptions,
    MemoryLimitStore local,
    ICallerLimitStore? shared,
    CallerMetrics metrics,
    TimeProvider timeProvider,
    ILogger<CallerLimiter> logger) : ICallerLimiter
{
    /// <summary>While the shared store fails, how long asks use per-replica limits before it is tried again.</summary>
    public static readonly TimeSpan RetrySharedAfter = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ConcurrencyRetryAfter = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private bool _failing;
    private DateTimeOffset _retrySharedAt;

    public LimitsStatus Status
    {
        get
        {
            if (shared is null)
            {
                return new LimitsStatus("memory", Shared: false, Fallback: false);
            }

            lock (_gate)
            {
                return _failing ? new LimitsStatus("memory", Shared: false, Fallback: true) : new LimitsStatus("redis", Shared: true, Fallback: false);
            }
        }
    }

    public async ValueTask<Admission> AdmitAsync(Caller caller, long estimatedTokens, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        Func<long, ValueTask> record = tokens =>
        {
            metrics.RecordTokens(caller, tokens);
            return ValueTask.CompletedTask;
        };
        if (!caller.IsLimited)
        {
            return new Admission(null, null, record, record, exit: null);
        }

        RequestWindow? window = null;
        if (limits.RequestsPerMinute > 0)
        {
            var (count, _) = await RunAsync(store => store.CountRequestAsync(caller.Partition, limits.RequestsPerMinute, Minute, cancellationToken), cancellationToken);
            if (!count.Allowed)
            {
                return Refuse(caller, new LimitRefusal(CallerLimit.RequestsPerMinute, limits.RequestsPerMinute, count.ResetAfter), window: new RequestWindow(limits.RequestsPerMinute, 0, count.ResetAfter));
            }

            window = new RequestWindow(limits.RequestsPerMinute, Math.Max(0, limits.RequestsPerMinute - count.Used), count.ResetAfter);
        }

        Func<ValueTask>? exit = null;
        if (limits.Concurrency > 0)
        {
            var leaseId = Guid.NewGuid().ToString("N");
            var leaseTtl = askOptions.Value.RequestTimeout + Minute;
            var (place, store) = await RunAsync(s => s.EnterAsync(caller.Partition, leaseId, limits.Concurrency, leaseTtl, cancellationToken), cancellationToken);
            if (!place.Allowed)
            {
                return Refuse(caller, new LimitRefusal(CallerLimit.Concurrency, limits.Concurrency, ConcurrencyRetryAfter), window);
            }

            // Given back where it was taken, whatever the ask's own cancellation says.
            exit = () => Quietly(store, s => s.ExitAsync(caller.Partition, leaseId, CancellationToken.None));
        }

        Func<long, ValueTask> settle = record, charge = record;
        if (limits.TokenBudgetPerDay > 0)
        {
            var now = timeProvider.GetUtcNow();
            var day = DateOnly.FromDateTime(now.UtcDateTime);
            var (budget, store) = await RunAsync(s => s.ReserveTokensAsync(caller.Partition, day, estimatedTokens, limits.TokenBudgetPerDay, cancellationToken), cancellationToken);
            metrics.RecordBudget(caller, day, budget.Used, limits.TokenBudgetPerDay);
            if (!budget.Allowed)
            {
                if (exit is not null)
                {
                    await exit();
                }

                var midnight = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                return Refuse(caller, new LimitRefusal(CallerLimit.TokensPerDay, limits.TokenBudgetPerDay, midnight - now), window);
            }

            settle = tokens =>
            {
                metrics.RecordTokens(caller, tokens);
                return tokens == estimatedTokens ? ValueTask.CompletedTask
                    : Quietly(store, s => s.AdjustTokensAsync(caller.Partition, day, tokens - estimatedTokens, CancellationToken.None));
            };
            charge = tokens =>
            {
                metrics.RecordTokens(caller, tokens);
                return Quietly(store, s => s.AdjustTokensAsync(caller.Partition, day, tokens, CancellationToken.None));
            };
        }

        return new Admission(null, window, settle, charge, exit);
    }

    private Admission Refuse(Caller caller, LimitRefusal refusal, RequestWindow? window)
    {
        metrics.RecordRefusal(caller, refusal.Limit);
        Log.CallerLimited(logger, caller.Name, refusal.Limit, refusal.Value, Math.Ceiling(refusal.RetryAfter.TotalSeconds));
        return new Admission(refusal, window, settle: null, charge: null, exit: null);
    }

    /// <summary>Runs <paramref name="operation"/> on the shared store unless it is failing, else (or when it fails now) on this process's.</summary>
    private async ValueTask<(T Result, ICallerLimitStore Store)> RunAsync<T>(Func<ICallerLimitStore, ValueTask<T>> operation, CancellationToken cancellationToken)
    {
        if (shared is not null && ShouldTryShared())
        {
            try
            {
                var result = await operation(shared);
                Recovered();
                return (result, shared);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Failed(ex);
            }
        }

        return (await operation(local), local);
    }

    /// <summary>Undoing a count must never fail an answered ask: a lost correction is logged through the fallback path and expires with its key.</summary>
    private async ValueTask Quietly(ICallerLimitStore store, Func<ICallerLimitStore, ValueTask> operation)
    {
        try
        {
            await operation(store);
        }
        catch (Exception ex) when (store != local)
        {
            Failed(ex);
        }
    }

    private bool ShouldTryShared()
    {
        lock (_gate)
        {
            return !_failing || timeProvider.GetUtcNow() >= _retrySharedAt;
        }
    }

    private void Failed(Exception exception)
    {
        bool first;
        lock (_gate)
        {
            first = !_failing;
            _failing = true;
            _retrySharedAt = timeProvider.GetUtcNow() + RetrySharedAfter;
        }

        if (first)
        {
            Log.SharedLimitsUnavailable(logger, exception.GetType().Name, exception.Message);
        }
    }

    private void Recovered()
    {
        bool wasFailing;
        lock (_gate)
        {
            wasFailing = _failing;
            _failing = false;
        }

        if (wasFailing)
        {
            Log.SharedLimitsRestored(logger);
        }
    }
}
