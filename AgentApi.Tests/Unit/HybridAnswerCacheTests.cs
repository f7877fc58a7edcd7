using AgentApi.Core;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentApi.Tests.Unit;

/// <summary>The answer cache as the app wires it (real HybridCache, memory tier), driven directly.</summary>
[TestFixture]
public sealed class HybridAnswerCacheTests
{
    private static readonly StepResult Step = new("openai", "gpt-4o-mini", new TokenUsage(3, 4), 12.5, 1);
    private ServiceProvider _services = null!;
    private IAnswerCache _cache = null!;

    [SetUp]
    public void CreateCache()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddCore().AddInfrastructure(configuration);
        _services = services.BuildServiceProvider();
        _cache = _services.GetRequiredService<IAnswerCache>();
    }

    [TearDown]
    public void DisposeServices() => _services.Dispose();

    private static AskAnswer Answer(string text, bool fallback = false) =>
        new(text, "general", "prompt", fallback, fallback ? "the orchestrator was unavailable" : null, Truncated: false, Step, Step);

    private static string Key() => AnswerCacheKey.Create(Guid.NewGuid().ToString("N"), null, "gemma", "gpt", "1");

    [Test]
    public async Task GetOrCreateAsync_SecondLookup_HitReturnsTheStoredInstance()
    {
        var key = Key();
        var produced = await _cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(Answer("42")), CacheMode.ReadWrite, CancellationToken.None);

        var hit = await _cache.GetOrCreateAsync(key, _ => throw new AssertionException("must not produce"), CacheMode.ReadWrite, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(produced.Source, Is.EqualTo(CacheSource.Produced));
            Assert.That(hit.Source, Is.EqualTo(CacheSource.Hit));
            Assert.That(hit.Answer, Is.SameAs(produced.Answer), "an immutable answer is kept as an object, not deserialized per hit");
        });
    }

    [Test]
    public async Task GetOrCreateAsync_ConcurrentCallersAndProducerFails_AllFailOnceAndNothingIsCached()
    {
        var key = Key();
        var release = new TaskCompletionSource();
        var runs = 0;
        Func<CancellationToken, ValueTask<AskAnswer>> failing = async _ =>
        {
            Interlocked.Increment(ref runs);
            await release.Task;
            throw new ProviderException(ProviderFailure.UpstreamError, ModelRole.Executor, "openai", "down");
        };

        var callers = Enumerable.Range(0, 10).Select(_ => _cache.GetOrCreateAsync(key, failing, CacheMode.ReadWrite, CancellationToken.None).AsTask()).ToArray();
        release.SetResult();
        var failures = await Task.WhenAll(callers.Select(async c => await CatchAsync(c)));
        var retry = await _cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(Answer("recovered")), CacheMode.ReadWrite, CancellationToken.None);
        var statistics = _cache.GetStatistics();

        Assert.Multiple(() =>
        {
            Assert.That(runs, Is.EqualTo(1));
            Assert.That(failures, Is.All.InstanceOf<ProviderException>());
            Assert.That(retry.Source, Is.EqualTo(CacheSource.Produced), "the failure was not cached");
            Assert.That(statistics.Misses, Is.EqualTo(2));
            Assert.That(statistics.Coalesced, Is.EqualTo(9));
        });
    }

    [Test]
    public async Task GetOrCreateAsync_FirstCallerHangsUp_JoinedCallerStillGetsTheAnswer()
    {
        var key = Key();
        var release = new TaskCompletionSource();
        var producerToken = CancellationToken.None;
        Func<CancellationToken, ValueTask<AskAnswer>> slow = async token =>
        {
            producerToken = token;
            await release.Task.WaitAsync(token);
            return Answer("patient");
        };
        using var hangUp = new CancellationTokenSource();

        var first = _cache.GetOrCreateAsync(key, slow, CacheMode.ReadWrite, hangUp.Token).AsTask();
        var joined = _cache.GetOrCreateAsync(key, slow, CacheMode.ReadWrite, CancellationToken.None).AsTask();
        await hangUp.CancelAsync();
        var firstOutcome = await CatchAsync(first);
        release.SetResult();
        var joinedResult = await joined;

        Assert.Multiple(() =>
        {
            Assert.That(firstOutcome, Is.InstanceOf<OperationCanceledException>());
            Assert.That(joinedResult.Answer.Answer, Is.EqualTo("patient"));
            Assert.That(producerToken.IsCancellationRequested, Is.False, "the producer runs on HybridCache's shared token, not the first caller's");
        });
    }

    [Test]
    public async Task GetOrCreateAsync_FallbackAnswer_SharedWithJoinedCallersButNotStored()
    {
        var key = Key();
        var release = new TaskCompletionSource();
        Func<CancellationToken, ValueTask<AskAnswer>> degraded = async _ =>
        {
            await release.Task;
            return Answer("direct answer", fallback: true);
        };

        var callers = Enumerable.Range(0, 5).Select(_ => _cache.GetOrCreateAsync(key, degraded, CacheMode.ReadWrite, CancellationToken.None).AsTask()).ToArray();
        release.SetResult();
        var lookups = await Task.WhenAll(callers);
        var next = await _cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(Answer("orchestrated")), CacheMode.ReadWrite, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(lookups.Select(l => l.Answer.Answer), Is.All.EqualTo("direct answer"));
            Assert.That(lookups.Count(l => l.Source == CacheSource.Produced), Is.EqualTo(1));
            Assert.That(lookups.Count(l => l.Source == CacheSource.Coalesced), Is.EqualTo(4));
            Assert.That(next.Source, Is.EqualTo(CacheSource.Produced));
            Assert.That(next.Answer.Answer, Is.EqualTo("orchestrated"));
        });
    }

    [Test]
    public async Task GetOrCreateAsync_RefreshMode_SkipsTheReadAndStoresTheFreshAnswer()
    {
        var key = Key();
        await _cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(Answer("old")), CacheMode.ReadWrite, CancellationToken.None);

        var refreshed = await _cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(Answer("new")), CacheMode.Refresh, CancellationToken.None);
        var hit = await _cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(Answer("unused")), CacheMode.ReadWrite, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(refreshed.Source, Is.EqualTo(CacheSource.Produced));
            Assert.That(hit.Source, Is.EqualTo(CacheSource.Hit));
            Assert.That(hit.Answer.Answer, Is.EqualTo("new"));
        });
    }

    private static async Task<Exception?> CatchAsync(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
