using System.Collections.Concurrent;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Caching;

/// <summary>
/// The answer cache on <see cref="HybridCache"/>: get-or-add with one factory run per key across
/// concurrent callers (the role LazyCache has in the design card; see docs/decisions), memory first,
/// Redis second when configured.
/// </summary>
/// <remarks>
/// HybridCache joins callers by key and flags, so a <see cref="CacheMode.Refresh"/> ask (which skips the
/// reads) never joins a normal one, and the reverse. Stampede protection is per process: with Redis, two
/// replicas asked the same cold question at the same moment may each call the providers once.
/// </remarks>
internal sealed class HybridAnswerCache(
    HybridCache cache,
    EntryBoundedMemoryCache memory,
    IOptions<CacheOptions> options,
    FailSafeDistributedCache? distributed = null) : IAnswerCache
{
    private static readonly IReadOnlyList<string> MemoryOnly = ["memory"];
    private static readonly IReadOnlyList<string> MemoryAndRedis = ["memory", "redis"];

    private static readonly HybridCacheEntryOptions NoCaching = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableDistributedCache,
    };

    private readonly ConcurrentDictionary<(string Key, CacheMode Mode), Flight> _flights = new();
    private long _hits;
    private long _misses;
    private long _coalesced;

    public async ValueTask<CacheLookup> GetOrCreateAsync(
        string key,
        Func<CancellationToken, ValueTask<AskAnswer>> produce,
        CacheMode mode,
        CancellationToken cancellationToken)
    {
        if (mode == CacheMode.Bypass)
        {
            // no-store: answered as if there were no cache; not a lookup, so not counted.
            return new CacheLookup(await produce(cancellationToken), CacheSource.Produced);
        }

        var ttl = options.Value.Ttl;
        if (ttl <= TimeSpan.Zero && mode == CacheMode.Refresh)
        {
            // Nothing is stored without a TTL, so a fresh ask has nothing to refresh, and it must not
            // join an ordinary ask in flight (it asked not to be served someone else's answer).
            var fresh = await produce(cancellationToken);
            Interlocked.Increment(ref _misses);
            return new CacheLookup(fresh, CacheSource.Produced);
        }

        var entryOptions = ttl <= TimeSpan.Zero
            ? NoCaching
            : new HybridCacheEntryOptions
            {
                Expiration = ttl,
                LocalCacheExpiration = ttl,
                Flags = mode == CacheMode.Refresh
                    ? HybridCacheEntryFlags.DisableLocalCacheRead | HybridCacheEntryFlags.DisableDistributedCacheRead
                    : HybridCacheEntryFlags.None,
            };

        var flight = Enter(key, mode);
        var completedBefore = flight.Completed;
        var state = new FactoryState(flight, produce);
        var counted = false;
        try
        {
            AskAnswer answer;
            try
            {
                // The factory gets HybridCache's token, cancelled only when every joined caller has gone,
                // so one caller hanging up does not fail the others.
                answer = await cache.GetOrCreateAsync(key, state, static (s, token) => s.RunAsync(token), entryOptions, tags: null, cancellationToken);
            }
            catch (UncacheableAnswerException uncacheable)
            {
                answer = uncacheable.Answer;
            }

            counted = true;
            return new CacheLookup(answer, Count(state, flight, completedBefore));
        }
        finally
        {
            // A failed production still cost provider calls (a miss), and its joiners were coalesced;
            // a caller that hung up is not counted.
            if (!counted && !cancellationToken.IsCancellationRequested)
            {
                Count(state, flight, completedBefore);
            }

            Leave(key, mode, flight);
        }
    }

    public CacheStatistics GetStatistics()
    {
        var settings = options.Value;
        return new CacheStatistics(
            Interlocked.Read(ref _hits),
            Interlocked.Read(ref _misses),
            Interlocked.Read(ref _coalesced),
            memory.GetCurrentStatistics()?.CurrentEntryCount ?? 0,
            memory.Evictions,
            settings.Ttl,
            settings.MaxEntries,
            distributed is null ? MemoryOnly : MemoryAndRedis,
            distributed?.Errors ?? 0,
            memory.Bytes,
            settings.MaxBytes);
    }

    /// <summary>
    /// Produced when this caller's factory ran; coalesced when another caller's factory ran while this one
    /// waited (it started after this caller arrived, or was still running then); otherwise a hit.
    /// </summary>
    private CacheSource Count(FactoryState state, Flight flight, int completedBefore)
    {
        if (state.Started)
        {
            Interlocked.Increment(ref _misses);

            return CacheSource.Produced;
        }

        if (flight.Started > completedBefore)
        {
            Interlocked.Increment(ref _coalesced);
            return CacheSource.Coalesced;
        }

        Interlocked.Increment(ref _hits);
        return CacheSource.Hit;
    }

    private Flight Enter(string key, CacheMode mode)
    {
        while (true)
        {
            var flight = _flights.GetOrAdd((key, mode), static _ => new Flight());
            if (flight.TryEnter())
            {
                return flight;
            }
        }
    }

    private void Leave(string key, CacheMode mode, Flight flight)
    {
        if (flight.Leave())
        {
            _flights.TryRemove(KeyValuePair.Create((key, mode), flight));
        }
    }

    /// <summary>The callers of one key and mode that overlap in time, and the factory runs among them.</summary>
    private sealed class Flight
    {
        private readonly Lock _gate = new();
        private int _callers;
        private int _started;
        private int _completed;

        public int Started => Volatile.Read(ref _started);

        public int Completed => Volatile.Read(ref _completed);

        public bool TryEnter()
        {
            lock (_gate)
            {
                if (_callers < 0)
                {
                    return false; // retired: being removed from the dictionary
                }

                _callers++;
                return true;
            }
        }

        /// <summary>True when this was the last caller: the flight is retired and must be removed.</summary>
        public bool Leave()
        {
            lock (_gate)
            {
                if (--_callers > 0)
                {
                    return false;
                }

                _callers = -1;
                return true;
            }
        }

        public void FactoryStarted() => Interlocked.Increment(ref _started);

        public void FactoryCompleted() => Interlocked.Increment(ref _completed);
    }

    private sealed class FactoryState(Flight flight, Func<CancellationToken, ValueTask<AskAnswer>> produce)
    {
        // HybridCache starts the factory on a work item that does not flow the caller's
        // ExecutionContext; capture it so the request's logging scope (its request ID) and
        // Activity reach every log line the providers write.
        private readonly ExecutionContext? _callerContext = ExecutionContext.Capture();

        public bool Started { get; private set; }

        public async ValueTask<AskAnswer> RunAsync(CancellationToken cancellationToken)
        {
            Started = true;
            flight.FactoryStarted();
            try
            {
                var answer = await ProduceInCallerContext(cancellationToken);
                return answer.IsCacheable ? answer : throw new UncacheableAnswerException(answer);
            }
            finally
            {
                flight.FactoryCompleted();
            }
        }

        private Task<AskAnswer> ProduceInCallerContext(CancellationToken cancellationToken)
        {
            if (_callerContext is null)
            {
                return produce(cancellationToken).AsTask();
            }

            Task<AskAnswer>? task = null;
            ExecutionContext.Run(_callerContext, _ => task = produce(cancellationToken).AsTask(), null);
            return task!;
        }
    }
}
