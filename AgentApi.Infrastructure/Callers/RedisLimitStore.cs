using System.Globalization;
using AgentApi.Core.Callers;
using StackExchange.Redis;

namespace AgentApi.Infrastructure.Callers;

/// <summary>
/// Caller limits in Redis, shared by every replica: each check-and-count is one Lua script, which Redis runs
/// atomically, so two replicas asked at the same instant cannot both take the last place. Failures throw;
/// the limiter then counts per replica. Keys: <c>agentapi:limits:{rate|inflight|tokens}:&lt;partition&gt;</c>.
/// </summary>
internal sealed class RedisLimitStore(ConfigurationOptions configuration) : ICallerLimitStore, IAsyncDisposable
{
    private const string Prefix = "agentapi:limits:";

    // Refused requests are not counted, so a caller hammering a closed window does not keep it closed.
    private const string CountRequestScript = """
        local count = tonumber(redis.call('GET', KEYS[1]) or '0')
        if count >= tonumber(ARGV[1]) then
          return {0, count, redis.call('PTTL', KEYS[1])}
        end
        count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return {1, count, redis.call('PTTL', KEYS[1])}
        """;

    // A sorted set of leases scored by expiry (Redis' own clock), so places held by a replica that died free themselves.
    private const string EnterScript = """
        local now = redis.call('TIME')
        local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs)
        local count = redis.call('ZCARD', KEYS[1])
        if count >= tonumber(ARGV[1]) then
          return {0, count, 0}
        end
        redis.call('ZADD', KEYS[1], nowMs + tonumber(ARGV[2]), ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return {1, count + 1, 0}
        """;

    // Kept two days: a settle arriving just after midnight still finds the day it reserved on.
    private const string ReserveScript = """
        local used = tonumber(redis.call('GET', KEYS[1]) or '0')
        if used >= tonumber(ARGV[2]) then
          return {0, used, 0}
        end
        used = redis.call('INCRBY', KEYS[1], ARGV[1])
        redis.call('EXPIRE', KEYS[1], 172800)
        return {1, used, 0}
        """;

    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() => ConnectionMultiplexer.ConnectAsync(configuration));

    /// <summary>Opens the connection (at start, so the first ask does not find it still connecting and count per replica).</summary>
    public async Task ConnectAsync() => await _connection.Value;

    public async ValueTask<LimitCount> CountRequestAsync(string partition, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var result = await EvaluateAsync(CountRequestScript, Prefix + "rate:" + partition, limit, (long)window.TotalMilliseconds);
        var ttl = result[2] > 0 ? TimeSpan.FromMilliseconds(result[2]) : window;
        return new LimitCount(result[0] == 1, result[1], ttl);
    }

    public async ValueTask<LimitCount> EnterAsync(string partition, string leaseId, int limit, TimeSpan leaseTtl, CancellationToken cancellationToken)
    {
        var result = await EvaluateAsync(EnterScript, Prefix + "inflight:" + partition, limit, (long)leaseTtl.TotalMilliseconds, leaseId);
        return new LimitCount(result[0] == 1, result[1], TimeSpan.Zero);
    }

    public async ValueTask ExitAsync(string partition, string leaseId, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync();
        await database.SortedSetRemoveAsync(Prefix + "inflight:" + partition, leaseId);
    }

    public async ValueTask<LimitCount> ReserveTokensAsync(string partition, DateOnly day, long tokens, long limit, CancellationToken cancellationToken)
    {
        var result = await EvaluateAsync(ReserveScript, TokensKey(partition, day), tokens, limit);
        return new LimitCount(result[0] == 1, result[1], TimeSpan.Zero);
    }

    public async ValueTask AdjustTokensAsync(string partition, DateOnly day, long delta, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync();
        await database.StringIncrementAsync(TokensKey(partition, day), delta);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            try
            {
                await (await _connection.Value).DisposeAsync();
            }
            catch (RedisConnectionException)
            {
                // Never connected: nothing to close.
            }
        }
    }

    private static string TokensKey(string partition, DateOnly day) =>
        Prefix + "tokens:" + partition + ":" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<long[]> EvaluateAsync(string script, string key, params RedisValue[] arguments)
    {
        var database = await DatabaseAsync();
        var result = await database.ScriptEvaluateAsync(script, [key], arguments);
        return (long[])result!;
    }

    private async Task<IDatabase> DatabaseAsync() => (await _connection.Value).GetDatabase();
}
