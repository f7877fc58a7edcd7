using System.Net;
using System.Text.RegularExpressions;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>Redis killed under two replicas: each falls back to its own limits, says so, and keeps answering.</summary>
[TestFixture]
public sealed partial class SharedLimitsOutageTests
{
    [Test]
    public async Task Ask_RedisKilledMidRun_PerReplicaLimitsAndKeepsAnswering()
    {
        await using var redis = await RedisServer.StartAsync();
        void Configure(Dictionary<string, string?> settings)
        {
            settings["REDIS_URL"] = redis.Url;
            settings["AGENTAPI_API_KEYS"] = Callers.KeyA;
            settings["RATE_LIMIT_PER_MINUTE"] = "2";
            settings["LOG_LEVEL"] = "Information";
        }

        await using var first = await AgentApiHost.StartAsync(Configure);
        await using var second = await AgentApiHost.StartAsync(Configure);
        using (var before = await first.AskWithKeyAsync(new { query = Queries.Unique("Before the outage") }, Callers.KeyA))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        redis.Kill();
        var firstStatuses = new List<HttpStatusCode>();
        var secondStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var onFirst = await first.AskWithKeyAsync(new { query = Queries.Unique("During the outage") }, Callers.KeyA);
            using var onSecond = await second.AskWithKeyAsync(new { query = Queries.Unique("During the outage") }, Callers.KeyA);
            firstStatuses.Add(onFirst.StatusCode);
            secondStatuses.Add(onSecond.StatusCode);
        }

        using var health = await first.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var limits = (await AgentApiHost.JsonAsync(health)).GetProperty("limits");
        var warnings = UnavailableLine().Count(Callers.ReadLogs(first.LogDirectory, "*.log") + Callers.ReadLogs(second.LogDirectory, "*.log"));

        Assert.Multiple(() =>
        {
            HttpStatusCode[] perReplica = [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests];
            Assert.That(firstStatuses, Is.EqualTo(perReplica), "each replica counts its own window from the outage on");
            Assert.That(secondStatuses, Is.EqualTo(perReplica));
            Assert.That(limits.GetProperty("store").GetString(), Is.EqualTo("memory"));
            Assert.That(limits.GetProperty("fallback").GetBoolean(), Is.True);
            Assert.That(warnings, Is.EqualTo(2), "one warning per replica, not one per ask");
        });
    }

    [GeneratedRegex("Shared caller limits unavailable")]
    private static partial Regex UnavailableLine();
}
