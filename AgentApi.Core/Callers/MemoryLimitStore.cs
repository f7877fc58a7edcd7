namespace AgentApi.Core.Callers;

/// <summary>
/// Limits counted in this process: the only store without Redis, and the fallback while Redis is unreachable.
/// Same rules as the Redis scripts. One lock: each operation is a few dictionary steps, next to an LLM call.
/// </summary>
internal sealed class MemoryLimitStore(TimeProvider timeProvider) : ICallerLimitStore
{
    // Open services count per client address: forget windows and days past once there are this many.
    private const int PruneAbove = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Count, DateTimeOffset ResetAt)> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Partition, DateOnly Day), long> _tokens = [];

    public ValueTask<LimitCount> CountRequestAsync(string partition, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_windows.Count > PruneAbove)
            {
                foreach (var stale in _windows.Where(w => w.Value.ResetAt <= now).Select(w => w.Key).ToList())
                {
                    _windows.Remove(stale);
                }
            }

            var (count, resetAt) = _windows.TryGetValue(partition, out var current) && current.ResetAt > now ? current : (0, now + window);
            if (count >= limit)
            {
                return ValueTask.FromResult(new LimitCount(false, count, resetAt - now));
            }

            _windows[partition] = (count + 1, resetAt);
            return ValueTask.FromResult(new LimitCount(true, count + 1, resetAt - now));
        }
    }

    public ValueTask<LimitCount> EnterAsync(string partition, string leaseId, int limit, TimeSpan leaseTtl, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!_leases.TryGetValue(partition, out var leases))
            {
                leases = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
                _leases[partition] = leases;
            }

            foreach (var expired in leases.Where(l => l.Value <= now).Select(l => l.Key).ToList())
            {
                leases.Remove(expired);
            }

            if (leases.Count >= limit)
            {
                return ValueTask.FromResult(new LimitCount(false, leases.Count, TimeSpan.Zero));
            }

            leases[leaseId] = now + leaseTtl;
            return ValueTask.FromResult(new LimitCount(true, leases.Count, TimeSpan.Zero));
        }
    }

    public ValueTask ExitAsync(string partition, string leaseId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(partition, out var leases) && leases.Remove(leaseId) && leases.Count == 0)
            {
                _leases.Remove(partition);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<LimitCount> ReserveTokensAsync(string partition, DateOnly day, long tokens, long limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_tokens.Count > PruneAbove)
            {
                foreach (var past in _tokens.Keys.Where(k => k.Day < day).ToList())
                {
                    _tokens.Remove(past);
                }
            }

            var used = _tokens.GetValueOrDefault((partition, day));
            if (used >= limit)
            {
                return ValueTask.FromResult(new LimitCount(false, used, TimeSpan.Zero));
            }

            _tokens[(partition, day)] = used + tokens;
            return ValueTask.FromResult(new LimitCount(true, used + tokens, TimeSpan.Zero));
        }
    }

    public ValueTask AdjustTokensAsync(string partition, DateOnly day, long delta, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _tokens[(partition, day)] = Math.Max(0, _tokens.GetValueOrDefault((partition, day)) + delta);
        }

        return ValueTask.CompletedTask;
    }
}
