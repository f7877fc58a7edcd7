using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AgentApi.Infrastructure.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentApi.Tests.Unit;

/// <summary>The fail-safe tier over a real RedisCache whose server is not there (a closed port).</summary>
[TestFixture]
public sealed class FailSafeDistributedCacheTests
{
    private RedisCache _redis = null!;
    private FailSafeDistributedCache _cache = null!;

    [SetUp]
    public void CreateCache()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        _redis = new RedisCache(Options.Create(new RedisCacheOptions
        {
            ConfigurationOptions = RedisConfiguration.Parse(string.Create(CultureInfo.InvariantCulture, $"redis://127.0.0.1:{closedPort}"), "REDIS_URL"),
        }));
        _cache = new FailSafeDistributedCache(_redis, TimeProvider.System, NullLogger<FailSafeDistributedCache>.Instance);
    }

    [TearDown]
    public void DisposeCache() => _redis.Dispose();

    [Test]
    public async Task ReadsAndWrites_RedisDown_AreMissesAndCountedWithoutThrowing()
    {
        // The first operation waits for the connect attempt (ConnectTimeout, 1 s): the app does it at start.
        var value = await _cache.GetAsync("k");
        var afterConnect = Stopwatch.StartNew();

        var found = await _cache.TryGetAsync("k", new ArrayBufferWriter<byte>());
        await _cache.SetAsync("k", new ReadOnlySequence<byte>([1, 2, 3]), new DistributedCacheEntryOptions());
        await _cache.SetAsync("k", [1, 2, 3], new DistributedCacheEntryOptions());
        await _cache.RemoveAsync("k");

        Assert.Multiple(() =>
        {
            Assert.That(value, Is.Null);
            Assert.That(found, Is.False);
            Assert.That(_cache.Errors, Is.EqualTo(5));
            Assert.That(afterConnect.Elapsed, Is.LessThan(TimeSpan.FromMilliseconds(500)), "fail fast: no client timeouts per operation");
        });
    }

    [Test]
    public void GetAsync_CallerCancelled_ThrowsAndIsNotCounted()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.CatchAsync<OperationCanceledException>(async () => await _cache.GetAsync("k", cancelled.Token));
        Assert.That(_cache.Errors, Is.Zero);
    }
}
