using System.Globalization;
using System.Net;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>Per-caller limits on one replica: what a refusal looks like, who it applies to and what stays open.</summary>
[TestFixture]
public sealed class CallerLimitTests
{
    [Test]
    public async Task Ask_OverRequestsPerMinute_Answers429ProblemWithHeadersAndCountsTheRefusal()
    {
        await using var host = await Callers.StartWithKeysAsync("RATE_LIMIT_PER_MINUTE", "2");
        using var first = await host.AskWithKeyAsync(new { query = Queries.Unique("One") }, Callers.KeyA);
        using (await host.AskWithKeyAsync(new { query = Queries.Unique("Two") }, Callers.KeyA))
        {
        }

        using var refused = await host.AskWithKeyAsync(new { query = Queries.Unique("Three") }, Callers.KeyA);
        var body = await AgentApiHost.JsonAsync(refused);
        using var otherCaller = await host.AskWithKeyAsync(new { query = Queries.Unique("Other caller") }, Callers.KeyB);
        var scrape = await PrometheusScrape.ScrapeAsync(host.Client);

        Assert.Multiple(() =>
        {
            Assert.That(first.Headers.GetValues("RateLimit-Limit").Single(), Is.EqualTo("2"));
            Assert.That(first.Headers.GetValues("RateLimit-Remaining").Single(), Is.EqualTo("1"));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:rate-limited"));
            Assert.That(body.GetProperty("limit").GetString(), Is.EqualTo("requests_per_minute"));
            Assert.That(refused.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 60));
            Assert.That(body.GetProperty("retryAfterSeconds").GetInt32(), Is.EqualTo((int)refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds));
            Assert.That(refused.Headers.GetValues("RateLimit-Limit").Single(), Is.EqualTo("2"));
            Assert.That(refused.Headers.GetValues("RateLimit-Remaining").Single(), Is.EqualTo("0"));
            Assert.That(int.Parse(refused.Headers.GetValues("RateLimit-Reset").Single(), CultureInfo.InvariantCulture), Is.InRange(1, 60));
            Assert.That(otherCaller.StatusCode, Is.EqualTo(HttpStatusCode.OK), "limits are per caller");
            Assert.That(scrape.Sum("agentapi_caller_limited_total", ("caller", Callers.NameOf(Callers.KeyA)), ("limit", "requests_per_minute")), Is.EqualTo(1));
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Stream_KeysAndLimitsApply_LikeAsk()
    {
        await using var host = await Callers.StartWithKeysAsync("TOKEN_BUDGET_PER_DAY", "1000");

        using var noKey = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/ask/stream") { Content = System.Net.Http.Json.JsonContent.Create(new { query = "no key" }) });
        var streamed = Callers.Ask(new { query = Queries.Unique("Streamed with a key") }, Callers.KeyA);
        streamed.RequestUri = new Uri("/api/ask/stream", UriKind.Relative);
        using var answered = await host.Client.SendAsync(streamed);
        var events = await answered.Content.ReadAsStringAsync();
        var scrape = await PrometheusScrape.ScrapeAsync(host.Client);

        Assert.Multiple(() =>
        {
            Assert.That(noKey.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(answered.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(events, Does.Contain("event: done"));
            Assert.That(scrape.Sum("agentapi_caller_tokens_total", ("caller", Callers.NameOf(Callers.KeyA))), Is.GreaterThan(0),
                "a streamed answer's tokens are charged to its caller like a buffered one's");
        });
    }

    [Test]
    public async Task Ask_SecondWhileFirstInFlightWithConcurrencyOne_IsRefusedAtOnceAndTheNextIsAnswered()
    {
        await using var host = await Callers.StartWithKeysAsync("RATE_LIMIT_CONCURRENCY", "1");
        host.OpenAI.Enqueue(FakeResponse.Delayed(TimeSpan.FromSeconds(1), FakeResponse.Default));

        var slow = host.AskWithKeyAsync(new { query = Queries.Unique("Slow one") }, Callers.KeyA);
        await Eventually.TrueAsync(() => host.OpenAI.CallCount == 1);
        using var second = await host.AskWithKeyAsync(new { query = Queries.Unique("Meanwhile") }, Callers.KeyA);
        var body = await AgentApiHost.JsonAsync(second);
        using var first = await slow;
        using var next = await host.AskWithKeyAsync(new { query = Queries.Unique("After it") }, Callers.KeyA);

        Assert.Multiple(() =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:concurrency-limited"));
            Assert.That(second.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the place is given back when the ask ends");
        });
    }

    [Test]
    public async Task Ask_BudgetSpentByRecordedUsage_Answers429UntilMidnightUtc()
    {
        await using var host = await Callers.StartWithKeysAsync("TOKEN_BUDGET_PER_DAY", "1000");
        host.OpenAI.Enqueue(FakeResponse.Json(200, FakeOpenAIServer.SuccessBody("Costly.", promptTokens: 600, completionTokens: 500)));
        var query = Queries.Unique("Spend the day's budget");

        using var spent = await host.AskWithKeyAsync(new { query }, Callers.KeyA);
        var spentBody = await AgentApiHost.JsonAsync(spent);
        using var refused = await host.AskWithKeyAsync(new { query = Queries.Unique("One more") }, Callers.KeyA);
        var body = await AgentApiHost.JsonAsync(refused);
        var untilMidnight = DateTime.UtcNow.Date.AddDays(1) - DateTime.UtcNow;
        var scrape = await PrometheusScrape.ScrapeAsync(host.Client);

        Assert.Multiple(() =>
        {
            Assert.That(spent.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(spentBody.GetProperty("usage").GetProperty("totalTokens").GetInt32(), Is.GreaterThan(1000), "the recorded usage spent the budget");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:token-budget-exhausted"));
            Assert.That(body.GetProperty("limit").GetString(), Is.EqualTo("tokens_per_day"));
            Assert.That(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, Is.EqualTo(untilMidnight.TotalSeconds).Within(5));
            Assert.That(refused.Headers.GetValues("RateLimit-Limit").Single(), Is.EqualTo("1000"));
            Assert.That(scrape.Sum("agentapi_caller_tokens_total", ("caller", Callers.NameOf(Callers.KeyA))),
                Is.EqualTo(spentBody.GetProperty("usage").GetProperty("totalTokens").GetInt32()), "charged the recorded usage, not the estimate");
            Assert.That(scrape.Sum("agentapi_caller_budget_used", ("caller", Callers.NameOf(Callers.KeyA))),
                Is.EqualTo(spentBody.GetProperty("usage").GetProperty("totalTokens").GetInt32()), "the day's count the refusal saw");
            Assert.That(scrape.Sum("agentapi_caller_budget_limit", ("caller", Callers.NameOf(Callers.KeyA))), Is.EqualTo(1000));
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Ask_CacheHit_IsFreeAgainstTheBudget()
    {
        await using var host = await Callers.StartWithKeysAsync("TOKEN_BUDGET_PER_DAY", "100000");
        var query = Queries.Unique("Ask me twice");

        using var produced = await host.AskWithKeyAsync(new { query }, Callers.KeyA);
        var tokens = (await AgentApiHost.JsonAsync(produced)).GetProperty("usage").GetProperty("totalTokens").GetInt32();
        using var hit = await host.AskWithKeyAsync(new { query }, Callers.KeyA);
        var hitBody = await AgentApiHost.JsonAsync(hit);
        var scrape = await PrometheusScrape.ScrapeAsync(host.Client);

        Assert.Multiple(() =>
        {
            Assert.That(hitBody.GetProperty("cached").GetBoolean(), Is.True);
            Assert.That(scrape.Sum("agentapi_caller_tokens_total", ("caller", Callers.NameOf(Callers.KeyA))), Is.EqualTo(tokens));
        });
    }

    [Test]
    public async Task Ask_OpenServiceOverTheLimit_LimitsByClientAddressAndLeavesProbesOpen()
    {
        await using var host = await AgentApiHost.StartAsync(s => s["RATE_LIMIT_PER_MINUTE"] = "1");

        using var allowed = await host.AskAsync(new { query = Queries.Unique("Open one") });
        using var refused = await host.AskAsync(new { query = Queries.Unique("Open two") });
        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/healthz", "/healthz/cache", "/healthz/ready", "/metrics", "/docs", "/" })
        {
            for (var i = 0; i < 3; i++)
            {
                using var response = await host.Client.GetAsync(new Uri(path, UriKind.Relative));
                statuses.Add(response.StatusCode);
            }
        }

        var scrape = await PrometheusScrape.ScrapeAsync(host.Client);

        Assert.Multiple(() =>
        {
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK), "health, metrics and docs are exempt");
            Assert.That(scrape.Sum("agentapi_caller_limited_total", ("caller", "anonymous"), ("limit", "requests_per_minute")), Is.EqualTo(1),
                "an open service labels callers anonymous, never by address");
        });
    }
}
