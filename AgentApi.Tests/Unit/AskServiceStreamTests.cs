using System.Runtime.CompilerServices;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Execution;
using AgentApi.Core.Orchestration;
using AgentApi.Core.Providers;
using AgentApi.Core.Routing;
using AgentApi.Tests.Support;
using Moq;

namespace AgentApi.Tests.Unit;

/// <summary><see cref="IAskService.StreamAsync"/> over mocked models, wired as DI wires it (deadline and metrics decorators included).</summary>
[TestFixture]
public sealed class AskServiceStreamTests
{
    // The plan, who answers (just before the first piece), the pieces, the end.
    private static readonly string[] PlanTwoDeltasDone = ["AskStreamPlan", "AskStreamAnswering", "AskStreamDelta", "AskStreamDelta", "AskStreamDone"];
    private static readonly string[] PlanDelta = ["AskStreamPlan", "AskStreamAnswering", "AskStreamDelta"];

    private Mock<IChatModel> _orchestrator = null!;
    private Mock<IChatModel> _executor = null!;

    [SetUp]
    public void SetUp()
    {
        _orchestrator = CoreMocks.Orchestrator();
        _executor = CoreMocks.Executor();
        _orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ChatCompletion("""{"route":"math","prompt":"Compute 17 * 23."}""", "gemma", new TokenUsage(10, 5), FinishReason.Stop));
    }

    [Test]
    public async Task StreamAsync_ExecutorStreams_YieldsPlanThenDeltasThenDoneWithTheSameRequestAsAsk()
    {
        ChatRequest? streamed = null;
        _executor.Setup(m => m.StreamAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .Callback((ChatRequest r, CancellationToken _) => streamed = r)
            .Returns((ChatRequest _, CancellationToken ct) => Updates(["39", "1"], Final("391"), ct));

        var events = await CollectAsync(Service().StreamAsync(new AskQuery("what is 17 times 23"), CancellationToken.None));

        var plan = (AskStreamPlan)events[0];
        var done = (AskStreamDone)events[^1];
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.GetType().Name), Is.EqualTo(PlanTwoDeltasDone));
            Assert.That(plan.Route, Is.EqualTo(BuiltInRoutes.Math));
            Assert.That(plan.Cached, Is.False);
            Assert.That(string.Concat(events.OfType<AskStreamDelta>().Select(d => d.Text)), Is.EqualTo("391"));
            Assert.That(done.Result.Answer.Answer, Is.EqualTo("391"));
            Assert.That(done.Result.Answer.Executor.Usage, Is.EqualTo(new TokenUsage(20, 2)));
            Assert.That(done.Result.Source, Is.EqualTo(CacheSource.Produced));
            Assert.That(streamed!.UserMessage, Is.EqualTo(ExecutionStep.BuildMessage(new OrchestrationPlan(BuiltInRoutes.Math, "Compute 17 * 23."), new AskQuery("what is 17 times 23"))));
            Assert.That(streamed.SystemInstruction, Is.EqualTo(BuiltInRoutes.Table.Select(BuiltInRoutes.Math).Instructions));
            Assert.That(streamed.Deadline, Is.Not.Null);
        });
    }

    [Test]
    public async Task StreamAsync_ExecutorFailsAfterDeltas_YieldsThemThenThrows()
    {
        var failure = new ProviderException(ProviderFailure.UpstreamError, ModelRole.Executor, "openai", "broke off");
        _executor.Setup(m => m.StreamAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ChatRequest _, CancellationToken ct) => Updates(["part"], failure, ct));
        var events = new List<AskStreamEvent>();

        var thrown = Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var item in Service().StreamAsync(new AskQuery("q"), CancellationToken.None))
            {
                events.Add(item);
            }
        });

        Assert.Multiple(() =>
        {
            Assert.That(thrown, Is.SameAs(failure));
            Assert.That(events.Select(e => e.GetType().Name), Is.EqualTo(PlanDelta));
        });
    }

    [Test]
    public void StreamAsync_ContentFilteredAtTheEnd_ThrowsTheSameFailureAsAsk()
    {
        _executor.Setup(m => m.StreamAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ChatRequest _, CancellationToken ct) => Updates([], Final("", FinishReason.ContentFilter), ct));

        var thrown = Assert.ThrowsAsync<ProviderException>(() => CollectAsync(Service().StreamAsync(new AskQuery("q"), CancellationToken.None)));

        Assert.That(thrown!.Failure, Is.EqualTo(ProviderFailure.ContentFiltered));
    }

    [Test]
    public void StreamAsync_StreamEndsWithoutFinalUpdate_ThrowsInvalidResponse()
    {
        _executor.Setup(m => m.StreamAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ChatRequest _, CancellationToken ct) => Updates(["half an"], null, ct));

        var thrown = Assert.ThrowsAsync<ProviderException>(() => CollectAsync(Service().StreamAsync(new AskQuery("q"), CancellationToken.None)));

        Assert.That(thrown!.Failure, Is.EqualTo(ProviderFailure.InvalidResponse));
    }

    [Test]
    public void StreamAsync_DeadlinePassesMidStream_ThrowsTimeout()
    {
        _executor.Setup(m => m.StreamAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ChatRequest _, CancellationToken ct) => Updates(["slow"], new TimeoutException("never thrown: the stream hangs"), ct, hang: true));
        var options = new AskOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) };

        var thrown = Assert.ThrowsAsync<ProviderException>(() => CollectAsync(Service(options: options).StreamAsync(new AskQuery("q"), CancellationToken.None)));

        Assert.That(thrown!.Failure, Is.EqualTo(ProviderFailure.Timeout));
    }

    [Test]
    public async Task StreamAsync_CacheHit_ReplaysPlanOneDeltaAndDoneMarkedCached()
    {
        var answer = new AskAnswer("391", BuiltInRoutes.Math, "Compute.", false, null, false,
            new StepResult("gemini", "gemma", new TokenUsage(1, 1), 1, 1), new StepResult("openai", "gpt", new TokenUsage(2, 2), 1, 1));
        var cache = new Mock<IAnswerCache>(MockBehavior.Strict);
        cache.Setup(c => c.GetOrCreateAsync(It.IsAny<string>(), It.IsAny<Func<CancellationToken, ValueTask<AskAnswer>>>(), CacheMode.ReadWrite, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CacheLookup(answer, CacheSource.Hit));

        var events = await CollectAsync(Service(cache.Object).StreamAsync(new AskQuery("q"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(events, Has.Count.EqualTo(3));
            Assert.That(events[0], Is.EqualTo(new AskStreamPlan(BuiltInRoutes.Math, "Compute.", false, null, answer.Orchestrator, Cached: true)));
            Assert.That(events[1], Is.EqualTo(new AskStreamDelta("391")));
            Assert.That(((AskStreamDone)events[2]).Result.Cached, Is.True);
        });
    }

    private AskService Service(IAnswerCache? cache = null, AskOptions? options = null) =>
        CoreMocks.AskService(_orchestrator.Object, _executor.Object, cache ?? CoreMocks.PassThroughCache().Object, options);

    private static ChatStreamUpdate Final(string text, FinishReason finish = FinishReason.Stop) =>
        ChatStreamUpdate.Final(new ChatCompletion(text, "gpt-4o-mini", new TokenUsage(20, 2), finish));

    // end: the final update, an exception to throw, or null to end without a final update.
    private static async IAsyncEnumerable<ChatStreamUpdate> Updates(
        string[] pieces, object? end, [EnumeratorCancellation] CancellationToken cancellationToken, bool hang = false)
    {
        foreach (var piece in pieces)
        {
            await Task.Yield();
            yield return ChatStreamUpdate.Delta(piece);
        }

        if (hang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        switch (end)
        {
            case ChatStreamUpdate final:
                yield return final;
                break;
            case Exception exception:
                throw exception;
        }
    }

    private static async Task<List<AskStreamEvent>> CollectAsync(IAsyncEnumerable<AskStreamEvent> events)
    {
        var list = new List<AskStreamEvent>();
        await foreach (var item in events)
        {
            list.Add(item);
        }

        return list;
    }
}
