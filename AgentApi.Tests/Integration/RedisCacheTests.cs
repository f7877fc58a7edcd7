using System.Diagnostics;
using System.Globalization;
using System.Net;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>
/// Two replicas sharing a real <c>redis-server</c>. Ignored only when <c>redis-server</c> is not installed.
/// </summary>
[TestFixture]
public sealed class RedisCacheTests : TwoReplicasFixture
{
    /// <summary>The first replica names Redis with <c>REDIS_URL</c>, the second with the connection string.</summary>
    protected override void Configure(Dictionary<string, string?> settings, int replica)
    {
        if (replica == 1)
        {
            settings["REDIS_URL"] = Redis.Url;
        }
        else
        {
            settings["ConnectionStrings:Redis"] = Redis.ConfigurationString;
        }
    }

    [Test]
    public async Task Ask_AnsweredByOneReplica_OtherReplicaAnswersFromRedisWithoutProviderCalls()
    {
        var query = Queries.Unique("What is the speed of light?");
        var keysBefore = await Redis.CountKeysAsync();
        using var produced = await First.AskAsync(new { query });
        var producedBody = await AgentApiHost.JsonAsync(produced);

        // HybridCache writes to Redis after answering the caller.
        await Eventually.TrueAsync(async () => await Redis.CountKeysAsync() > keysBefore);
        using var shared = await Second.AskAsync(new { query = "  " + query + " " });
        var sharedBody = await AgentApiHost.JsonAsync(shared);

        Assert.Multiple(() =>
        {
            Assert.That(produced.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(producedBody.GetProperty("cached").GetBoolean(), Is.False);
            Assert.That(shared.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(sharedBody.GetProperty("cached").GetBoolean(), Is.True);
            Assert.That(sharedBody.GetProperty("answer").GetString(), Is.EqualTo(producedBody.GetProperty("answer").GetString()));
            Assert.That(sharedBody.GetProperty("orchestrator").GetProperty("inputTokens").GetInt32(),
                Is.EqualTo(producedBody.GetProperty("orchestrator").GetProperty("inputTokens").GetInt32()), "the whole answer round-trips through Redis");
            Assert.That(First.Gemini.CallCount + First.OpenAI.CallCount, Is.EqualTo(2));
            Assert.That(Second.Gemini.CallCount + Second.OpenAI.CallCount, Is.Zero, "the second replica calls no provider");
        });
    }

    [Test]
    public async Task Ask_FallbackOnOneReplica_OtherReplicaStillCallsProviders()
    {
        var query = Queries.Unique("Summarise the news");
        var serverError = FakeGeminiServer.InternalError();
        First.Gemini.Enqueue(serverError, serverError, serverError);
        using var fallback = await First.AskAsync(new { query });
        var fallbackBody = await AgentApiHost.JsonAsync(fallback);
        await Task.Delay(100); // room for a (wrong) asynchronous write to Redis to land

        using var fresh = await Second.AskAsync(new { query });
        var freshBody = await AgentApiHost.JsonAsync(fresh);

        Assert.Multiple(() =>
        {
            Assert.That(fallbackBody.GetProperty("fallback").GetBoolean(), Is.True);
            Assert.That(freshBody.GetProperty("cached").GetBoolean(), Is.False, "a fallback answer is not shared through Redis");
            Assert.That(freshBody.GetProperty("fallback").GetBoolean(), Is.False);
            Assert.That(Second.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task GetCacheHealth_RedisConfigured_ReportsMemoryAndRedisTiers()
    {
        foreach (var host in new[] { First, Second })
        {
            var health = await CacheTests.CacheHealthAsync(host);

            Assert.Multiple(() =>
            {
                Assert.That(string.Join(',', health.GetProperty("tiers").EnumerateArray().Select(t => t.GetString())), Is.EqualTo("memory,redis"));
                Assert.That(health.GetProperty("distributedErrors").GetInt64(), Is.Zero);
            });
        }
    }

    [Test]
    public async Task Ask_RedisKilledMidRun_KeepsAnsweringAndCountsDistributedErrors()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var host = await AgentApiHost.StartAsync(settings => settings["REDIS_URL"] = redis.Url);
        var hot = Queries.Unique("Cached before the outage");
        (await host.AskAsync(new { query = hot })).Dispose();
        var up = await TimeColdAsksAsync(host, "Redis up");

        redis.Kill();
        var down = await TimeColdAsksAsync(host, "Redis down");
        using var hotResponse = await host.AskAsync(new { query = hot });
        var hotBody = await AgentApiHost.JsonAsync(hotResponse);
        var health = await CacheTests.CacheHealthAsync(host);
        var logFile = Path.Combine(host.LogDirectory, "agentapi.log");
        await Eventually.TrueAsync(() => File.Exists(logFile) && ReadShared(logFile).Contains("Redis cache tier failing", StringComparison.Ordinal));
        var scrape = await PrometheusScrape.ScrapeAsync(host.Client);

        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"cold ask through the app, median: Redis up {Median(up):0.0} ms, Redis down {Median(down):0.0} ms (max {down.Max():0.0} ms)"));
        Assert.Multiple(() =>
        {
            Assert.That(hotResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(hotBody.GetProperty("cached").GetBoolean(), Is.True, "memory still answers");
            Assert.That(down.Max(), Is.LessThan(1000), "a dead Redis must not add client timeouts to asks");
            Assert.That(health.GetProperty("distributedErrors").GetInt64(), Is.GreaterThan(0));
            Assert.That(scrape.Sum("agentapi_cache_distributed_errors_total"), Is.GreaterThanOrEqualTo(health.GetProperty("distributedErrors").GetInt64()),
                "the metric the cache tier alert watches counts the same failures");
            Assert.That(scrape.Sum("agentapi_log_events_total", ("level", "warning")), Is.GreaterThan(0), "the tier's warning was counted");
            Assert.That(health.GetProperty("tiers").GetArrayLength(), Is.EqualTo(2));
            Assert.That(File.Exists(logFile) ? ReadShared(logFile) : string.Empty, Does.Contain("Redis cache tier failing"));
        });
    }

    /// <summary>Five asks on cold keys, each must answer 200; returns their wall times in milliseconds.</summary>
    private static async Task<double[]> TimeColdAsksAsync(AgentApiHost host, string label)
    {
        var times = new double[5];
        for (var i = 0; i < times.Length; i++)
        {
            var started = Stopwatch.StartNew();
            using var response = await host.AskAsync(new { query = Queries.Unique($"{label} {i}") });
            times[i] = started.Elapsed.TotalMilliseconds;
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), label);
        }

        return times;
    }

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
