using System.Net;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>
/// What was tried from outside against the open service (issue 12) and what other gateways' users report
/// as limits that do not hold, each reproduced against the real app. Every one of these passed for the
/// attacker before caller keys and limits existed.
/// </summary>
[TestFixture]
public sealed class CallerAbuseTests
{
    [Test]
    public async Task Ask_AnonymousWhileKeysAreSet_Answers401AndCallsNoProvider()
    {
        await using var host = await AgentApiHost.StartAsync(s => s["AGENTAPI_API_KEYS"] = Callers.KeyA);

        using var response = await host.AskAsync(new { query = Queries.Unique("Anyone home?") });

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(host.Gemini.CallCount + host.OpenAI.CallCount, Is.Zero);
        });
    }

    /// <summary>300 maximum-size unique asks in 1.7 s cost 6 million tokens; with a budget, a burst overshoots it by at most one ask.</summary>
    [Test]
    public async Task Ask_BurstOfMaximumSizeUniqueAsks_SpendStaysWithinTheBudgetPlusOneAsk()
    {
        const int budget = 60_000;
        const int asks = 30;
        await using var host = await Callers.StartWithKeysAsync("TOKEN_BUDGET_PER_DAY", budget.ToString(System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 0; i < asks; i++)
        {
            host.OpenAI.Enqueue(FakeResponse.Json(200, FakeOpenAIServer.SuccessBody("A long answer.", promptTokens: 10_000, completionTokens: 10_000)));
        }

        var context = new string('c', 32_000);
        var responses = await Task.WhenAll(Enumerable.Range(0, asks).Select(async i =>
        {
            using var response = await host.AskWithKeyAsync(new { query = Queries.Unique(new string('q', 7_900)), context }, Callers.KeyA);
            return (response.StatusCode, Tokens: response.StatusCode == HttpStatusCode.OK
                ? (await AgentApiHost.JsonAsync(response)).GetProperty("usage").GetProperty("totalTokens").GetInt32()
                : 0);
        }));

        var answered = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        var spent = answered.Sum(r => r.Tokens);
        var largestAsk = answered.Max(r => r.Tokens);
        await TestContext.Out.WriteLineAsync($"{answered.Count} of {asks} answered, {spent} tokens spent of a {budget} budget");
        Assert.Multiple(() =>
        {
            Assert.That(answered, Is.Not.Empty, "the budget lets the first asks through");
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.EqualTo(asks - answered.Count), "the rest are refused with 429");
            Assert.That(spent, Is.LessThanOrEqualTo(budget + largestAsk), $"{answered.Count} asks spent {spent} tokens of a {budget} budget");
        });
    }

    [Test]
    public async Task Ask_RepeatsWithCacheBypass_CountAgainstTheRateLimit()
    {
        await using var host = await Callers.StartWithKeysAsync("RATE_LIMIT_PER_MINUTE", "3");
        var query = Queries.Unique("Bypass the cache");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await host.AskWithKeyAsync(new { query, cache = false }, Callers.KeyA);
            statuses.Add(response.StatusCode);
        }

        for (var i = 0; i < 2; i++)
        {
            using var response = await host.AskWithKeyAsync(new { query }, Callers.KeyA, cacheControl: "no-cache");
            statuses.Add(response.StatusCode);
        }

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(3), "the refused bypass made no paid call");
        });
    }

    [Test]
    public async Task Ask_SixthOfFivePerMinute_Answers429WithRetryAfter()
    {
        await using var host = await Callers.StartWithKeysAsync("RATE_LIMIT_PER_MINUTE", "5");

        for (var i = 0; i < 5; i++)
        {
            using var allowed = await host.AskWithKeyAsync(new { query = Queries.Unique("Within the limit") }, Callers.KeyA);
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"ask {i + 1}");
        }

        using var refused = await host.AskWithKeyAsync(new { query = Queries.Unique("Over the limit") }, Callers.KeyA);

        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(refused.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 60));
        });
    }

    /// <summary>LiteLLM #39713: per-customer limits stopped applying once a key was cached. Here answers from the cache still count.</summary>
    [Test]
    public async Task Ask_SameQuestionAnsweredFromCache_StillCountsAgainstTheRateLimit()
    {
        await using var host = await Callers.StartWithKeysAsync("RATE_LIMIT_PER_MINUTE", "5");
        var query = Queries.Unique("Cached question");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await host.AskWithKeyAsync(new { query }, Callers.KeyA);
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses[5], Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    /// <summary>LiteLLM #26672, #23714: budgets bypassed. A spent budget refuses cache bypass and new questions alike.</summary>
    [Test]
    public async Task Ask_BudgetSpent_RefusesNewQuestionsAndCacheBypass()
    {
        await using var host = await Callers.StartWithKeysAsync("TOKEN_BUDGET_PER_DAY", "100");
        var query = Queries.Unique("Spend it all");

        using var first = await host.AskWithKeyAsync(new { query }, Callers.KeyA);
        using var bypass = await host.AskWithKeyAsync(new { query, cache = false }, Callers.KeyA);
        using var fresh = await host.AskWithKeyAsync(new { query = Queries.Unique("Something new") }, Callers.KeyA);

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(bypass.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(fresh.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    /// <summary>Caller B learned that caller A asked a question from <c>cached: true</c>.</summary>
    [Test]
    public async Task Ask_QuestionAnotherCallerAsked_IsNotAnsweredFromTheirCache()
    {
        await using var host = await AgentApiHost.StartAsync(s => s["AGENTAPI_API_KEYS"] = Callers.KeyA + "," + Callers.KeyB);
        var query = Queries.Unique("Is the merger going ahead?");

        using var asked = await host.AskWithKeyAsync(new { query }, Callers.KeyA);
        using var probe = await host.AskWithKeyAsync(new { query }, Callers.KeyB);

        var probeBody = await AgentApiHost.JsonAsync(probe);

        Assert.Multiple(() =>
        {
            Assert.That(asked.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(probe.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(probeBody.GetProperty("cached").GetBoolean(), Is.False);
        });
    }
}
