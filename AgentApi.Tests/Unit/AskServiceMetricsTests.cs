using System.Diagnostics.Metrics;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Providers;
using AgentApi.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace AgentApi.Tests.Unit;

/// <summary>The <c>outcome</c> that AskService records for each provider call.</summary>
[TestFixture]
public sealed class AskServiceMetricsTests
{
    private Mock<IChatModel> _orchestrator = null!;
    private Mock<IChatModel> _executor = null!;
    private AskService _service = null!;
    private MeterListener _listener = null!;
    private readonly List<(string Role, string Outcome)> _calls = [];

    [SetUp]
    public void SetUp()
    {
        _calls.Clear();
        _orchestrator = CoreMocks.Orchestrator(MockBehavior.Loose);
        _executor = CoreMocks.Executor(MockBehavior.Loose);
        _executor.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ChatCompletion("answer", "gpt-4o-mini", new TokenUsage(10, 5), FinishReason.Stop));

        var cache = CoreMocks.PassThroughCache();

        var metrics = TestMetrics.Create(out var meterFactory);
        var options = new AskOptions { RequestTimeout = TimeSpan.FromMilliseconds(400), ExecutorAttemptTimeout = TimeSpan.FromMilliseconds(200) };
        _service = CoreMocks.AskService(_orchestrator.Object, _executor.Object, cache.Object, options, metrics);

        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meterFactory && instrument.Name == "agentapi.provider.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            string? role = null, outcome = null;
            foreach (var tag in tags)
            {
                role = tag.Key == "role" ? (string?)tag.Value : role;
                outcome = tag.Key == "outcome" ? (string?)tag.Value : outcome;
            }

            _calls.Add((role!, outcome!));
        });
        _listener.Start();
    }

    [TearDown]
    public void TearDown() => _listener.Dispose();

    [Test]
    public async Task AskAsync_OrchestratorOutlivesItsBudget_RecordsTimeoutAndExecutorSuccess()
    {
        _orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>())).Returns(HangAsync);

        var result = await _service.AskAsync(new AskQuery("slow orchestrator"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Answer.Fallback, Is.True);
            Assert.That(_calls, Is.EqualTo(new[] { (ModelRole.Orchestrator, "timeout"), (ModelRole.Executor, "success") }));
        });
    }

    [Test]
    public void AskAsync_CallerGoesAway_RecordsCancelled()
    {
        _orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>())).Returns(HangAsync);
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.CatchAsync<OperationCanceledException>(() => _service.AskAsync(new AskQuery("caller leaves"), caller.Token));

        Assert.That(_calls, Is.EqualTo(new[] { (ModelRole.Orchestrator, "cancelled") }));
    }

    [Test]
    public void AskAsync_ExecutorRateLimited_RecordsTheFailureKind()
    {
        _orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ChatCompletion("""{"route":"general","prompt":"p"}""", "gemma-3-1b-it", new TokenUsage(10, 5), FinishReason.Stop));
        _executor.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProviderException(ProviderFailure.RateLimited, ModelRole.Executor, "openai", "slow down"));

        Assert.ThrowsAsync<ProviderException>(() => _service.AskAsync(new AskQuery("rate limited"), CancellationToken.None));

        Assert.That(_calls, Is.EqualTo(new[] { (ModelRole.Orchestrator, "success"), (ModelRole.Executor, "rate_limited") }));
    }

    private static async Task<ChatCompletion> HangAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}
