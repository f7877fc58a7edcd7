using System.Net;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>
/// Two replicas over one real <c>redis-server</c> enforce one limit per caller (Bifrost #3547: limits kept per
/// replica let N replicas allow N times the cap). Ignored only when <c>redis-server</c> is not installed.
/// </summary>
[TestFixture]
public sealed class SharedLimitsTests : TwoReplicasFixture
{
    private const string KeyC = "test-caller-key-charlie-1b2c3d4e5f6a";

    protected override void Configure(Dictionary<string, string?> settings, int replica)
    {
        settings["REDIS_URL"] = Redis.Url;
        settings["AGENTAPI_API_KEYS"] = string.Join(',', Callers.KeyA, Callers.KeyB, KeyC);
        settings["RATE_LIMIT_PER_MINUTE"] = "5";
        settings["RATE_LIMIT_CONCURRENCY"] = "1";
        settings["TOKEN_BUDGET_PER_DAY"] = "3000";
    }

    [Test]
    public async Task Ask_FiveAcrossTwoReplicas_SixthIsRefusedOnEither()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await (i % 2 == 0 ? First : Second).AskWithKeyAsync(new { query = Queries.Unique("Shared window") }, Callers.KeyA);
            statuses.Add(response.StatusCode);
        }

        using var sixthOnFirst = await First.AskWithKeyAsync(new { query = Queries.Unique("Sixth") }, Callers.KeyA);
        using var sixthOnSecond = await Second.AskWithKeyAsync(new { query = Queries.Unique("Sixth again") }, Callers.KeyA);

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(sixthOnFirst.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(sixthOnSecond.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        });
    }

    [Test]
    public async Task Ask_WhileTheCallersAskIsInFlightOnTheOtherReplica_IsRefused()
    {
        First.OpenAI.Enqueue(FakeResponse.Delayed(TimeSpan.FromSeconds(1), FakeResponse.Default));
        var slow = First.AskWithKeyAsync(new { query = Queries.Unique("Slow on the first replica") }, Callers.KeyB);
        await Eventually.TrueAsync(() => First.OpenAI.CallCount == 1);

        using var meanwhile = await Second.AskWithKeyAsync(new { query = Queries.Unique("Meanwhile on the second") }, Callers.KeyB);
        var body = await AgentApiHost.JsonAsync(meanwhile);
        using var first = await slow;
        using var after = await Second.AskWithKeyAsync(new { query = Queries.Unique("After it") }, Callers.KeyB);

        Assert.Multiple(() =>
        {
            Assert.That(meanwhile.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:concurrency-limited"));
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Ask_BudgetSpentOnOneReplica_IsRefusedOnTheOther()
    {
        First.OpenAI.Enqueue(FakeResponse.Json(200, FakeOpenAIServer.SuccessBody("Costly.", promptTokens: 2000, completionTokens: 1500)));

        using var spent = await First.AskWithKeyAsync(new { query = Queries.Unique("Spend it on the first") }, KeyC);
        using var refused = await Second.AskWithKeyAsync(new { query = Queries.Unique("Then ask the second") }, KeyC);
        var body = await AgentApiHost.JsonAsync(refused);

        Assert.Multiple(() =>
        {
            Assert.That(spent.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:token-budget-exhausted"));
            Assert.That(Second.OpenAI.CallCount, Is.Zero);
        });
    }

    [Test]
    public async Task GetHealth_RedisUp_ReportsSharedLimits()
    {
        using var response = await Second.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var limits = (await AgentApiHost.JsonAsync(response)).GetProperty("limits");

        Assert.Multiple(() =>
        {
            Assert.That(limits.GetProperty("store").GetString(), Is.EqualTo("redis"));
            Assert.That(limits.GetProperty("shared").GetBoolean(), Is.True);
            Assert.That(limits.GetProperty("fallback").GetBoolean(), Is.False);
        });
    }
}
