using System.Diagnostics.Metrics;
using AgentApi.Core.Ask;
using AgentApi.Core.Callers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using AgentApi.Tests.Support;
using Moq;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class CallerLimiterTests
{
    private static readonly Caller Alice = Caller.Keyed("alice");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 23, 0, 0, TimeSpan.Zero));
    private Mock<ICallerLimitStore> _shared = null!;

    [SetUp]
    public void CreateSharedStore() => _shared = new Mock<ICallerLimitStore>(MockBehavior.Strict);

    [Test]
    public async Task AdmitAsync_SharedStoreFails_CountsInMemoryAndReportsTheFallback()
    {
        _shared.Setup(s => s.CountRequestAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("connection refused"));
        var limiter = Create(new CallerOptions { RequestsPerMinute = 1 }, _shared.Object);

        await using var first = await limiter.AdmitAsync(Alice, 0, CancellationToken.None);
        await using var second = await limiter.AdmitAsync(Alice, 0, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Allowed, Is.True);
            Assert.That(second.Refusal?.Limit, Is.EqualTo(CallerLimit.RequestsPerMinute), "the per-replica count still limits");
            Assert.That(limiter.Status, Is.EqualTo(new LimitsStatus("memory", Shared: false, Fallback: true)));
            _shared.Verify(s => s.CountRequestAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Once(),
                "the failing store is not asked again until the retry interval has passed");
        });
    }

    [Test]
    public async Task AdmitAsync_SharedStoreAnswersAgainAfterTheRetryInterval_CountsThereAgain()
    {
        var calls = 0;
        _shared.Setup(s => s.CountRequestAsync("key:alice", 10, It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Returns(() => ++calls == 1 ? throw new InvalidOperationException("down") : ValueTask.FromResult(new LimitCount(true, 1, TimeSpan.FromMinutes(1))));
        var limiter = Create(new CallerOptions { RequestsPerMinute = 10 }, _shared.Object);

        await (await limiter.AdmitAsync(Alice, 0, CancellationToken.None)).DisposeAsync();
        _time.Advance(CallerLimiter.RetrySharedAfter);
        await (await limiter.AdmitAsync(Alice, 0, CancellationToken.None)).DisposeAsync();

        Assert.That(limiter.Status, Is.EqualTo(new LimitsStatus("redis", Shared: true, Fallback: false)));
    }

    [Test]
    public async Task AdmitAsync_BudgetRefusedAfterTakingAPlace_GivesThePlaceBackAndRetriesAtMidnightUtc()
    {
        var limiter = Create(new CallerOptions { Concurrency = 1, TokenBudgetPerDay = 100 }, shared: null);
        await using (var spender = await limiter.AdmitAsync(Alice, 50, CancellationToken.None))
        {
            await spender.SettleAsync(150);
        }

        await using var refused = await limiter.AdmitAsync(Alice, 50, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        await using var tomorrow = await limiter.AdmitAsync(Alice, 50, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Refusal, Is.EqualTo(new LimitRefusal(CallerLimit.TokensPerDay, 100, TimeSpan.FromHours(1))));
            Assert.That(tomorrow.Allowed, Is.True, "a new UTC day, and the refused ask held no concurrency place");
        });
    }

    [Test]
    public async Task AdmitAsync_NoLimits_AdmitsWithoutTouchingAnyStore()
    {
        var limiter = Create(new CallerOptions(), _shared.Object);

        await using var admission = await limiter.AdmitAsync(Alice, 5000, CancellationToken.None);
        await admission.SettleAsync(42);

        Assert.That(admission.Allowed, Is.True);
        _shared.VerifyNoOtherCalls();
    }

    [Test]
    public async Task ChargeLate_AfterSettling_AddsTheTokensToTheDaysBudget()
    {
        var limiter = Create(new CallerOptions { TokenBudgetPerDay = 100 }, shared: null);
        await using (var ask = await limiter.AdmitAsync(Alice, 10, CancellationToken.None))
        {
            await ask.SettleAsync(40);

            // A provider call another caller kept alive reports after the ask was settled.
            ask.ChargeLate(60);
        }

        await Eventually.TrueAsync(async () =>
        {
            await using var next = await limiter.AdmitAsync(Alice, 1, CancellationToken.None);
            return !next.Allowed;
        }, TimeSpan.FromSeconds(2), "40 settled and 60 charged late spend the budget of 100");
    }

    [Test]
    public async Task AdmitAsync_WarmUpCaller_IsNeverRefusedAndTouchesNoStore()
    {
        var limiter = Create(new CallerOptions { RequestsPerMinute = 1, Concurrency = 1, TokenBudgetPerDay = 10 }, _shared.Object);

        var admissions = new List<Admission>();
        for (var i = 0; i < 5; i++)
        {
            admissions.Add(await limiter.AdmitAsync(Caller.WarmUp, 1000, CancellationToken.None));
        }

        Assert.That(admissions.Select(a => a.Allowed), Is.All.True);
        _shared.VerifyNoOtherCalls();
        foreach (var admission in admissions)
        {
            await admission.DisposeAsync();
        }
    }

    [Test]
    public void TokenEstimate_Conversation_CountsInstructionsAndEveryTurnAndTheCallersLowerOutputLimit()
    {
        var single = TokenEstimate.For(new AskQuery(new string('q', 300)), executorMaxOutputTokens: 2048);
        var conversation = TokenEstimate.For(
            new AskQuery(new string('q', 300)) { Instructions = new string('i', 300), History = [new(Core.Providers.ChatRole.User, new string('h', 300))], MaxOutputTokens = 48 },
            executorMaxOutputTokens: 2048);

        Assert.That(conversation - single, Is.EqualTo((2 * 200) - (2048 - 48)), "both models read the 600 more characters; the executor writes at most 48");
    }

    [Test]
    public void TokenEstimate_HistoryLongerThanTheWindows_CountedOnlyAsFarAsTheLargerWindowReaches()
    {
        var options = new AskOptions();
        AskQuery WithHistory(int characters) => new(new string('q', 300)) { History = [new(Core.Providers.ChatRole.User, new string('h', characters))] };

        var window = TokenEstimate.For(WithHistory(options.ExecutorHistoryChars), options);
        var longer = TokenEstimate.For(WithHistory(10 * options.ExecutorHistoryChars), options);

        Assert.Multiple(() =>
        {
            Assert.That(longer, Is.EqualTo(window), "no model is sent more than its window: a long rebuilt conversation reserves no more");
            Assert.That(TokenEstimate.For(WithHistory(300), options), Is.EqualTo(TokenEstimate.For(WithHistory(300), options.ExecutorMaxOutputTokens)), "a history within the windows counts whole");
        });
    }

    [Test]
    public void TokenEstimate_MaximumSizeAsk_CoversBothModelsReadingItAndWritingTheirLimits()
    {
        var estimate = TokenEstimate.For(new string('q', 8000), new string('c', 32000), executorMaxOutputTokens: 2048);

        Assert.That(estimate, Is.EqualTo((2 * 40000 / 3) + 1 + 600 + 512 + 2048).Within(1));
    }

    private CallerLimiter Create(CallerOptions options, ICallerLimitStore? shared)
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        return new CallerLimiter(
            Options.Create(options),
            Options.Create(new AskOptions()),
            new MemoryLimitStore(_time),
            shared,
            new CallerMetrics(services.GetRequiredService<IMeterFactory>(), _time),
            _time,
            NullLogger<CallerLimiter>.Instance);
    }
}
