using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

[TestFixture]
public sealed class CacheTests : HostedFixture
{
    [Test]
    public async Task Ask_HundredConcurrentIdenticalAsksOnColdKey_OneCallPerProviderAndOneSharedAnswer()
    {
        (await Host.AskAsync(new { query = Queries.Unique("warm-up") })).Dispose();
        Host.ResetFakes();
        var before = await CacheHealthAsync(Host);
        var query = Queries.Unique("What is a cache stampede?");
        Host.Gemini.Enqueue(FakeResponse.Delayed(TimeSpan.FromMilliseconds(500), FakeResponse.Default));

        var started = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Host.AskAsync(new { query })));
        var elapsed = started.Elapsed;
        var bodies = await Task.WhenAll(responses.Select(AgentApiHost.JsonAsync));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        var after = await CacheHealthAsync(Host);
        var coalesced = Delta(before, after, "coalesced");
        var hits = Delta(before, after, "hits");
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"100 concurrent asks, 500 ms orchestrator: {elapsed.TotalMilliseconds:0} ms; coalesced {coalesced}, hits {hits}"));
        Assert.Multiple(() =>
        {
            Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(1), "one orchestrator call");
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1), "one executor call");
            Assert.That(bodies.Select(b => b.GetProperty("answer").GetString()).Distinct().Count(), Is.EqualTo(1));
            Assert.That(bodies.Count(b => !b.GetProperty("cached").GetBoolean()), Is.EqualTo(1), "only the ask that called the providers is not cached");
            Assert.That(Delta(before, after, "misses"), Is.EqualTo(1));
            Assert.That(coalesced + hits, Is.EqualTo(99));
            Assert.That(coalesced, Is.GreaterThanOrEqualTo(90), "asks that arrive while the answer is produced are coalesced");
        });
    }

    [Test]
    public async Task Ask_ExecutorFailed_FailureIsNotCached()
    {
        var query = Queries.Unique("Explain UDP");
        var serverError = FakeOpenAIServer.ServerError();
        Host.OpenAI.Enqueue(serverError, serverError, serverError);
        using var failed = await Host.AskAsync(new { query });

        using var again = await Host.AskAsync(new { query });
        var body = await AgentApiHost.JsonAsync(again);

        Assert.Multiple(() =>
        {
            Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("cached").GetBoolean(), Is.False);
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(4), "three failed attempts, then a fresh call");
        });
    }

    [Test]
    public async Task Ask_ExecutorTruncated_AnswerIsServedButNotCached()
    {
        var query = Queries.Unique("List every prime");
        Host.OpenAI.Enqueue(FakeResponse.Json(200, FakeOpenAIServer.SuccessBody("2, 3, 5, 7, 11", finishReason: "length")));
        using var truncated = await Host.AskAsync(new { query });
        var truncatedBody = await AgentApiHost.JsonAsync(truncated);

        using var again = await Host.AskAsync(new { query });
        var body = await AgentApiHost.JsonAsync(again);

        Assert.Multiple(() =>
        {
            Assert.That(truncatedBody.GetProperty("truncated").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("cached").GetBoolean(), Is.False);
            Assert.That(body.GetProperty("truncated").GetBoolean(), Is.False);
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task GetCacheHealth_MemoryOnly_ReportsTierBoundAndNoDistributedErrors()
    {
        var health = await CacheHealthAsync(Host);

        Assert.Multiple(() =>
        {
            Assert.That(string.Join(',', health.GetProperty("tiers").EnumerateArray().Select(t => t.GetString())), Is.EqualTo("memory"));
            Assert.That(health.GetProperty("maxEntries").GetInt64(), Is.EqualTo(10_000));
            Assert.That(health.GetProperty("ttlSeconds").GetDouble(), Is.EqualTo(3600));
            Assert.That(health.GetProperty("distributedErrors").GetInt64(), Is.Zero);
            Assert.That(health.TryGetProperty("evictions", out _), Is.True);
        });
    }

    [Test]
    public async Task Ask_MoreQuestionsThanMaxEntries_KeepsAtMostMaxAndCountsEvictions()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["CACHE_MAX_ENTRIES"] = "3");

        for (var i = 0; i < 6; i++)
        {
            using var response = await host.AskAsync(new { query = Queries.Unique($"Question {i}") });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        JsonElement health = default;
        await Eventually.TrueAsync(async () => (health = await CacheHealthAsync(host)).GetProperty("evictions").GetInt64() >= 3);
        Assert.Multiple(() =>
        {
            Assert.That(health.GetProperty("maxEntries").GetInt64(), Is.EqualTo(3));
            Assert.That(health.GetProperty("entries").GetInt64(), Is.InRange(1, 3));
            Assert.That(health.GetProperty("evictions").GetInt64(), Is.GreaterThanOrEqualTo(3));
        });
    }

    [Test]
    public async Task Ask_TtlElapsed_CallsProvidersAgain()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["CACHE_TTL_SECONDS"] = "0.3");
        var query = Queries.Unique("What time is it?");
        (await host.AskAsync(new { query })).Dispose();
        using var hit = await host.AskAsync(new { query });
        var hitBody = await AgentApiHost.JsonAsync(hit);
        await Task.Delay(400);

        using var expired = await host.AskAsync(new { query });
        var expiredBody = await AgentApiHost.JsonAsync(expired);

        Assert.Multiple(() =>
        {
            Assert.That(hitBody.GetProperty("cached").GetBoolean(), Is.True);
            Assert.That(expiredBody.GetProperty("cached").GetBoolean(), Is.False);
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Ask_TtlZero_NeverCaches()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["CACHE_TTL_SECONDS"] = "0");
        var query = Queries.Unique("Is caching off?");

        (await host.AskAsync(new { query })).Dispose();
        using var second = await host.AskAsync(new { query });
        var body = await AgentApiHost.JsonAsync(second);
        var health = await CacheHealthAsync(host);

        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("cached").GetBoolean(), Is.False);
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(2));
            Assert.That(health.GetProperty("entries").GetInt64(), Is.Zero);
            Assert.That(health.GetProperty("ttlSeconds").GetDouble(), Is.Zero);
        });
    }

    [Test]
    public async Task Ask_TtlZeroAndFreshAskWhileAnIdenticalOneIsInFlight_DoesNotJoinIt()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["CACHE_TTL_SECONDS"] = "0");
        var query = Queries.Unique("Fresh, please");
        host.OpenAI.Enqueue(FakeResponse.Delayed(TimeSpan.FromMilliseconds(600), FakeResponse.Default));

        var ordinary = host.AskAsync(new { query });
        await Task.Delay(200);
        using var fresh = await host.AskAsync(new { query, cache = false });
        var body = await AgentApiHost.JsonAsync(fresh);
        (await ordinary).Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("cached").GetBoolean(), Is.False, "cache: false never takes someone else's answer");
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(2));
        });
    }

    internal static async Task<JsonElement> CacheHealthAsync(AgentApiHost host)
    {
        using var response = await host.Client.GetAsync(new Uri("/healthz/cache", UriKind.Relative));
        return await AgentApiHost.JsonAsync(response);
    }

    private static long Delta(JsonElement before, JsonElement after, string counter) =>
        after.GetProperty(counter).GetInt64() - before.GetProperty(counter).GetInt64();
}
