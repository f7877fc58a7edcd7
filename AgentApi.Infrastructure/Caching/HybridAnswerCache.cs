using System.Collections.Concurrent;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Caching;

/// <summary>
/// The answer cache on <see cref="HybridCache"/>: get-or-add with one factory run per key across
/// concurrent callers (the role LazyCache has in the design card; see docs/decisions).
/// </summary>
internal sealed class HybridAnswerCache(HybridCache cache, IMemoryCache memory, IOptions<CacheOptions> options) : IAnswerCache
{
    private static readonly HybridCacheEntryOptions NoCaching = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableDistributedCache,
    };

    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private long _hits;
    private long _misses;
    private long _coalesced;

    public async ValueTask<CacheLookup> GetOrCreateAsync(
        string key,
        Func<CancellationToken, ValueTask<AskAnswer>> produce,
        CacheMode mode,
        CancellationToken cancellationToken)
    {
        var ttl = options.Value.Ttl;
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

        var joined = _inFlight.ContainsKey(key);
        var state = new FactoryState(this, key, produce);
        AskAnswer answer;
        try
        {
            answer = await cache.GetOrCreateAsync(key, state, static (s, token) => s.RunAsync(token), entryOptions, tags: null, cancellationToken);
        }
        catch (UncacheableAnswerException uncacheable)
        {
            answer = uncacheable.Answer;
        }

        var source = state.Produced ? CacheSource.Produced : joined ? CacheSource.Coalesced : CacheSource.Hit;
        switch (source)
        {
            case CacheSource.Produced:
                Interlocked.Increment(ref _misses);
                break;
            case CacheSource.Coalesced:
                Interlocked.Increment(ref _coalesced);
                break;
            default:
                Interlocked.Increment(ref _hits);
                break;
        }

        return new CacheLookup(answer, source);
    }

    public CacheStatistics GetStatistics()
    {
        var settings = options.Value;
        var entries = memory.GetCurrentStatistics()?.CurrentEntryCount ?? 0;
        return new CacheStatistics(
            Interlocked.Read(ref _hits),
            Interlocked.Read(ref _misses),
            Interlocked.Read(ref _coalesced),
            entries,
            Evictions: 0,
            settings.Ttl,
            settings.MaxEntries,
            ["memory"],
            DistributedErrors: 0);
    }

    private sealed class FactoryState(HybridAnswerCache owner, string key, Func<CancellationToken, ValueTask<AskAnswer>> produce)
    {
        public bool Produced { get; private set; }

        // HybridCache starts the factory on a work item that does not flow the caller's
        // ExecutionContext; capture it so the request's logging scope (its request ID) and
        // Activity reach every log line the providers write.
        private readonly ExecutionContext? _callerContext = ExecutionContext.Capture();

        public async ValueTask<AskAnswer> RunAsync(CancellationToken cancellationToken)
        {
            owner._inFlight[key] = 0;
            try
            {
                var answer = await ProduceInCallerContext(cancellationToken);
                Produced = true;
                return answer.IsCacheable ? answer : throw new UncacheableAnswerException(answer);
            }
            finally
            {
                owner._inFlight.TryRemove(key, out _);
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
