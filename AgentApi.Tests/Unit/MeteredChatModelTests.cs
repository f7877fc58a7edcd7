using System.Runtime.CompilerServices;
using AgentApi.Core.Ask;
using AgentApi.Core.Providers;
using AgentApi.Tests.Support;
using Moq;

namespace AgentApi.Tests.Unit;

/// <summary>What a model call records in its ask's meter: reported usage, an estimate for a cut call, nothing for a refusal.</summary>
[TestFixture]
public sealed class MeteredChatModelTests
{
    private static readonly ChatRequest Prompt = new(new string('p', 300), SystemInstruction: new string('s', 300));

    [Test]
    public async Task StreamAsync_ReaderLeavesAfterSomeText_RecordsAnEstimateOfThePromptAndTheTextWritten()
    {
        var meter = new AskMeter();
        var model = Metered(Stream(20, final: true));

        await foreach (var update in model.StreamAsync(Prompt with { Meter = meter }, CancellationToken.None))
        {
            if (update.Text == "delta 14 ")
            {
                break;
            }
        }

        var spent = meter.Spent;
        Assert.Multiple(() =>
        {
            Assert.That(spent.Estimated, Is.True);
            Assert.That(spent.Executor.Input, Is.EqualTo(200), "600 prompt characters at 3 a token");
            Assert.That(spent.Executor.Output, Is.EqualTo(TokenEstimate.Of(15 * "delta 00 ".Length)), "the 15 deltas read");
        });
    }

    [Test]
    public async Task StreamAsync_Completed_RecordsTheReportedUsage()
    {
        var meter = new AskMeter();
        await foreach (var _ in Metered(Stream(3, final: true)).StreamAsync(Prompt with { Meter = meter }, CancellationToken.None))
        {
        }

        Assert.That(meter.Spent, Is.EqualTo(new AskSpend(TokenUsage.None, new TokenUsage(11, 7), Estimated: false)));
    }

    [Test]
    public void StreamAsync_ProviderFailsBeforeAnyText_RecordsNothing()
    {
        var meter = new AskMeter();
        var inner = CoreMocks.Executor();
        inner.Setup(m => m.StreamAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ChatRequest _, CancellationToken _) => Fail());

        Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var _ in Metered(inner).StreamAsync(Prompt with { Meter = meter }, CancellationToken.None))
            {
            }
        });
        Assert.That(meter.Spent.Total, Is.Zero, "a provider that refused or failed before answering bills nothing");
    }

    [Test]
    public void CompleteAsync_CallerCancels_RecordsTheEstimatedPrompt()
    {
        var meter = new AskMeter();
        var inner = CoreMocks.Executor();
        inner.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new OperationCanceledException());

        Assert.ThrowsAsync<OperationCanceledException>(() => Metered(inner).CompleteAsync(Prompt with { Meter = meter }, CancellationToken.None));
        Assert.That(meter.Spent, Is.EqualTo(new AskSpend(TokenUsage.None, new TokenUsage(200, 0), Estimated: true)));
    }

    [Test]
    public void Close_ThenALateCall_HandsItsTokensToTheLateCharge()
    {
        var meter = new AskMeter();
        meter.Record(ModelRole.Orchestrator, new TokenUsage(10, 5), estimated: false);
        long late = 0;

        var closed = meter.Close(tokens => late += tokens);
        meter.Record(ModelRole.Executor, new TokenUsage(30, 20), estimated: true);

        Assert.Multiple(() =>
        {
            Assert.That(closed.Total, Is.EqualTo(15));
            Assert.That(late, Is.EqualTo(50));
            Assert.That(meter.Spent.Estimated, Is.True);
        });
    }

    private static IChatModel Metered(Mock<IChatModel> inner) => ChatModelPipeline.Build(inner.Object, TestMetrics.Create(), TimeProvider.System);

    private static Mock<IChatModel> Stream(int deltas, bool final)
    {
        var inner = CoreMocks.Executor();
        inner.Setup(m => m.StreamAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ChatRequest _, CancellationToken token) => Deltas(deltas, final, token));
        return inner;
    }

    private static async IAsyncEnumerable<ChatStreamUpdate> Deltas(int count, bool final, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var text = "";
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            var delta = $"delta {i:00} ";
            text += delta;
            yield return ChatStreamUpdate.Delta(delta);
        }

        if (final)
        {
            yield return ChatStreamUpdate.Final(new ChatCompletion(text, "gpt-4o-mini", new TokenUsage(11, 7), FinishReason.Stop));
        }
    }

    private static async IAsyncEnumerable<ChatStreamUpdate> Fail()
    {
        await Task.Yield();
        throw new ProviderException(ProviderFailure.UpstreamError, ModelRole.Executor, "openai", "The executor provider failed.");
#pragma warning disable CS0162 // Unreachable: an iterator needs a yield.
        yield break;
#pragma warning restore CS0162
    }
}
