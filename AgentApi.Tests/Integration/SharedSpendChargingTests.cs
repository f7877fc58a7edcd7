using System.Globalization;
using System.Net;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>
/// Issue 20, finding 1 over two replicas and one <c>redis-server</c>: what a stream cut on one replica spent is charged
/// to the caller's shared budget, so the other replica refuses the caller once it is spent. Ignored only when
/// <c>redis-server</c> is not installed.
/// </summary>
[TestFixture]
public sealed class SharedSpendChargingTests : TwoReplicasFixture
{
    private const int Budget = 2 * SpendChargingTests.OrchestratorTokens;

    public static IEnumerable<Door> StreamedDoors => Door.Streamed;

    protected override void Configure(Dictionary<string, string?> settings, int replica)
    {
        settings["REDIS_URL"] = Redis.Url;
        settings["AGENTAPI_API_KEYS"] = Callers.KeyA + "," + Callers.KeyB;
        settings["TOKEN_BUDGET_PER_DAY"] = Budget.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Each test starts with the day's budgets unspent.</summary>
    [SetUp]
    public Task ForgetSpendingAsync() => Redis.SendAsync("FLUSHALL");

    [TestCaseSource(nameof(StreamedDoors))]
    public async Task Stream_TwoCutOnOneReplica_TheOtherReplicaRefusesTheNextAsk429(Door door)
    {
        var ended = (await PrometheusScrape.ScrapeAsync(First.Client)).Sum("agentapi_request_duration_seconds_count", ("route", door.Path));
        var charged = await SpendChargingTests.ChargedAsync(First, Callers.KeyA, atLeast: 0);
        for (var stream = 1; stream <= 2; stream++)
        {
            await SpendChargingTests.LeaveAfterDeltasAsync(First, door, Callers.KeyA, deltas: 3, new Fakes.FakeStreaming { ChunkDelay = TimeSpan.FromMilliseconds(50) });
            await SpendChargingTests.SettledAsync(First, door, ended + stream, Callers.KeyA, charged + (stream * SpendChargingTests.OrchestratorTokens));
        }

        using var next = await Second.AskWithKeyAsync(new { query = Queries.Unique("Then ask the other replica") }, Callers.KeyA);
        var body = await AgentApiHost.JsonAsync(next);

        Assert.Multiple(() =>
        {
            Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the streams cut on the first replica spent the shared budget");
            Assert.That(body.TryGetProperty("type", out var type) ? type.GetString() : body.ToString(), Is.EqualTo("urn:agentapi:problem:token-budget-exhausted"));
            Assert.That(Second.OpenAI.CallCount, Is.Zero);
        });
    }
}
