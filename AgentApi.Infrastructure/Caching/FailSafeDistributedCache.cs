using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;

namespace AgentApi.Infrastructure.Caching;

/// <summary>
/// HybridCache's second tier (Redis) with failures turned into misses: a failed read returns nothing,
/// a failed write is dropped, each failure is counted, and a warning is logged at most once per
/// <see cref="ReportInterval"/> instead of an error per operation.
/// </summary>
/// <remarks>
/// HybridCache already survives second-tier failures, but logs an error for each one: with Redis down,
/// every ask would log two. Swallowing them here keeps the behaviour (a failure is a miss) and the log readable.
/// Cancellation of the caller's token still propagates.
/// </remarks>
internal sealed class FailSafeDistributedCache(IBufferDistributedCache inner, TimeProvider timeProvider, ILogger<FailSafeDistributedCache> logger)
    : IBufferDistributedCache
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(30);

    private long _errors;
    private long _unreported;
    private long _nextReportAt;
    private int _failing;

    /// <summary>Failed operations since start.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    public byte[]? Get(string key)
    {
        try
        {
            var value = inner.Get(key);
            Succeeded();
            return value;
        }
        catch (Exception ex) when (IsFailure(ex, CancellationToken.None))
        {
            Failed(ex);
            return null;
        }
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        try
        {
            var value = await inner.GetAsync(key, token);
            Succeeded();
            return value;
        }
        catch (Exception ex) when (IsFailure(ex, token))
        {
            Failed(ex);
            return null;
        }
    }

    public bool TryGet(string key, IBufferWriter<byte> destination)
    {
        try
        {
            var found = inner.TryGet(key, destination);
            Succeeded();
            return found;
        }
        catch (Exception ex) when (IsFailure(ex, CancellationToken.None))
        {
            Failed(ex);
            return false;
        }
    }

    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        try
        {
            var found = await inner.TryGetAsync(key, destination, token);
            Succeeded();
            return found;
        }
        catch (Exception ex) when (IsFailure(ex, token))
        {
            Failed(ex);
            return false;
        }
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        Guard(() => inner.Set(key, value, options));

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) =>
        Guard(() => inner.Set(key, value, options));

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        GuardAsync(() => new ValueTask(inner.SetAsync(key, value, options, token)), token).AsTask();

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        GuardAsync(() => inner.SetAsync(key, value, options, token), token);

    public void Refresh(string key) => Guard(() => inner.Refresh(key));

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        GuardAsync(() => new ValueTask(inner.RefreshAsync(key, token)), token).AsTask();

    public void Remove(string key) => Guard(() => inner.Remove(key));

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        GuardAsync(() => new ValueTask(inner.RemoveAsync(key, token)), token).AsTask();

    private static bool IsFailure(Exception exception, CancellationToken token) =>
        exception is not OperationCanceledException || !token.IsCancellationRequested;

    private void Guard(Action operation)
    {
        try
        {
            operation();
            Succeeded();
        }
        catch (Exception ex) when (IsFailure(ex, CancellationToken.None))
        {
            Failed(ex);
        }
    }

    private async ValueTask GuardAsync(Func<ValueTask> operation, CancellationToken token)
    {
        try
        {
            await operation();
            Succeeded();
        }
        catch (Exception ex) when (IsFailure(ex, token))
        {
            Failed(ex);
        }
    }

    private void Succeeded()
    {
        if (Interlocked.Exchange(ref _failing, 0) == 1)
        {
            Log.DistributedCacheRecovered(logger, Interlocked.Exchange(ref _unreported, 0));
        }
    }

    private void Failed(Exception exception)
    {
        Interlocked.Increment(ref _errors);
        var unreported = Interlocked.Increment(ref _unreported);

        var now = timeProvider.GetTimestamp();
        var next = Interlocked.Read(ref _nextReportAt);
        var interval = (long)(ReportInterval.TotalSeconds * timeProvider.TimestampFrequency);
        if (now < next || Interlocked.CompareExchange(ref _nextReportAt, now + interval, next) != next)
        {
            return;
        }

        Interlocked.Add(ref _unreported, -unreported);
        Interlocked.Exchange(ref _failing, 1); // so the next success logs the recovery, at most once per warning
        Log.DistributedCacheFailing(logger, unreported, ReportInterval.TotalSeconds, exception);
    }
}
