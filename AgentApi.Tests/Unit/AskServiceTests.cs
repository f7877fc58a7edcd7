using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Routing;
using AgentApi.Core.Providers;
using AgentApi.Tests.Support;
using Moq;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class AskServiceTests
{
    private Mock<IChatModel> _orchestrator = null!;
    private Mock<IChatModel> _executor = null!;
    private Mock<IAnswerCache> _cache = null!;

    [SetUp]
    public void SetUp()
    {
        _orchestrator = CoreMocks.Orchestrator();
        _executor = CoreMocks.Executor();
        _cache = CoreMocks.PassThroughCache();
    }

    private AskService CreateService(AskOptions? options = null) =>
        CoreMocks.AskService(_orchestrator.Object, _executor.Object, _cache.Object, options);

    private static ChatCompletion Completion(string text, FinishReason finish = FinishReason.Stop) => new(text, "model", new TokenUsage(10, 5), finish);

    [Test]
    public async Task AskAsync_OrchestratorReturnsPlan_ExecutorAnswersFocusedPrompt()
    {
        _orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Completion("""{"route":"math","prompt":"Compute 17 * 23 step by step."}"""));
        ChatRequest? sent = null;
        _executor.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .Callback((ChatRequest r, CancellationToken _) => sent = r)
            .ReturnsAsync(Completion("391"));

        var result = await CreateService().AskAsync(new AskQuery("what is 17 times 23"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Answer.Answer, Is.EqualTo("391"));
            Assert.That(result.Answer.Route, Is.EqualTo(BuiltInRoutes.Math));
            Assert.That(result.Answer.RefinedPrompt, Is.EqualTo("Compute 17 * 23 step by step."));
            Assert.That(result.Answer.Fallback, Is.False);
            Assert.That(result.Cached, Is.False);
            Assert.That(sent!.UserMessage, Does.StartWith("Compute 17 * 23 step by step.").And.Contain("what is 17 times 23"));
            Assert.That(sent.SystemInstruction, Is.EqualTo(BuiltInRoutes.Table.Select(BuiltInRoutes.Math).Instructions));
            Assert.That(sent.Deadline, Is.Not.Null);
            Assert.That(result.Answer.Orchestrator.Usage.Total + result.Answer.Executor.Usage.Total, Is.EqualTo(30));
        });
    }

    [TestCase("coding", "coding", "gpt-4o", 3000, 0.2)]
    [TestCase("Coding", "coding", "gpt-4o", 3000, 0.2)]
    [TestCase("astrology", "general", null, 2048, null)]
    public async Task AskAsync_OperatorRouteChosen_ExecutorRequestCarriesTheRoutesModelInstructionsAndLimits(
        string choice, string route, string? model, int maxOutputTokens, double? temperature)
    {
        var table = RouteTable.Create(
        [
            new RouteDefinition("general", "Anything else.", "Help.", IsDefault: true),
            new RouteDefinition("coding", "Code.", "Write code.", Model: "gpt-4o", MaxOutputTokens: 3000, Temperature: 0.2),
        ], "test");
        _orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Completion($$"""{"route":"{{choice}}","prompt":"p"}"""));
        ChatRequest? sent = null;
        _executor.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .Callback((ChatRequest r, CancellationToken _) => sent = r)
            .ReturnsAsync(Completion("answer"));

        var result = await CoreMocks.AskService(_orchestrator.Object, _executor.Object, _cache.Object, routes: table).AskAsync(new AskQuery("q"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Answer.Route, Is.EqualTo(route));
            Assert.That(sent!.Model, Is.EqualTo(model ?? "gpt-4o-mini"), "the route's model, or the executor's configured one");
            Assert.That(sent.SystemInstruction, Is.EqualTo(table.Select(route).Instructions));
            Assert.That(sent.MaxOutputTokens, Is.EqualTo(maxOutputTokens));
            Assert.That(sent.Temperature, Is.EqualTo(temperature));
        });
    }

    [Test]
    public async Task AskAsync_OrchestratorThrowsProviderException_FallsBackToOriginalQuery()
    {
        _orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProviderException(ProviderFailure.Unavailable, ModelRole.Orchestrator, "gemini", "overloaded"));
        _executor.Setup(m => m.CompleteAsync(It.Is<ChatRequest>(r => r.UserMessage == "hello there"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Completion("hi"));

        var result = await CreateService().AskAsync(new AskQuery("hello there"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Answer.Fallback, Is.True);
            Assert.That(result.Answer.FallbackReason, Does.Contain("unavailable"));
            Assert.That(result.Answer.Route, Is.EqualTo(BuiltInRoutes.General), "a fallback is answered on the default route");
            Assert.That(result.Answer.Answer, Is.EqualTo("hi"));
            Assert.That(result.Answer.IsCacheable, Is.False);
        });
    }

    [Test]
    public async Task AskAsync_OrchestratorExceedsItsBudget_FallsBackInsteadOfTimingOut()
    {
        _orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (ChatRequest _, CancellationToken ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return Completion("never");
            });
        _executor.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Completion("direct answer"));
        var options = new AskOptions { RequestTimeout = TimeSpan.FromMilliseconds(800), ExecutorAttemptTimeout = TimeSpan.FromMilliseconds(600) };

        var result = await CreateService(options).AskAsync(new AskQuery("q"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Answer.Fallback, Is.True);
            Assert.That(result.Answer.FallbackReason, Does.Contain("in time"));
            Assert.That(result.Answer.Answer, Is.EqualTo("direct answer"));
        });
    }

    [Test]
    public void AskAsync_ExecutorThrows_PropagatesProviderException()
    {
        _orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Completion("""{"route":"general","prompt":"p"}"""));
        _executor.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProviderException(ProviderFailure.UpstreamError, ModelRole.Executor, "openai", "failed"));

        var exception = Assert.ThrowsAsync<ProviderException>(() => CreateService().AskAsync(new AskQuery("q"), CancellationToken.None));

        Assert.That(exception!.Failure, Is.EqualTo(ProviderFailure.UpstreamError));
    }

    [Test]
    public void AskAsync_ExecutorNeverAnswers_ThrowsTimeoutAtTheRequestDeadline()
    {
        _orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Completion("""{"route":"general","prompt":"p"}"""));
        _executor.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (ChatRequest _, CancellationToken ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return Completion("never");
            });
        var options = new AskOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) };

        var exception = Assert.ThrowsAsync<ProviderException>(() => CreateService(options).AskAsync(new AskQuery("q"), CancellationToken.None));

        Assert.That(exception!.Failure, Is.EqualTo(ProviderFailure.Timeout));
    }

    [Test]
    public void AskAsync_ExecutorContentFiltered_ThrowsContentFiltered()
    {
        _orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Completion("""{"route":"general","prompt":"p"}"""));
        _executor.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Completion("", FinishReason.ContentFilter));

        var exception = Assert.ThrowsAsync<ProviderException>(() => CreateService().AskAsync(new AskQuery("q"), CancellationToken.None));

        Assert.That(exception!.Failure, Is.EqualTo(ProviderFailure.ContentFiltered));
    }

    [Test]
    public async Task AskAsync_ExecutorHitsLengthLimit_ReturnsPartialAnswerMarkedTruncated()
    {
        _orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Completion("""{"route":"general","prompt":"p"}"""));
        _executor.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Completion("The beginning of", FinishReason.Length));

        var result = await CreateService().AskAsync(new AskQuery("q"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Answer.Truncated, Is.True);
            Assert.That(result.Answer.Answer, Is.EqualTo("The beginning of"));
            Assert.That(result.Answer.IsCacheable, Is.False);
        });
    }

    [Test]
    public async Task AskAsync_CacheHit_CallsNeitherProvider()
    {
        var stored = new AskAnswer("cached answer", BuiltInRoutes.General, "p", false, null, false,
            new StepResult("gemini", "gemma-3-1b-it", new TokenUsage(1, 1), 5, 1), new StepResult("openai", "gpt-4o-mini", new TokenUsage(1, 1), 5, 1));
        _cache.Setup(c => c.GetOrCreateAsync(It.IsAny<string>(), It.IsAny<Func<CancellationToken, ValueTask<AskAnswer>>>(), CacheMode.ReadWrite, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CacheLookup(stored, CacheSource.Hit));

        var result = await CreateService().AskAsync(new AskQuery("q"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Cached, Is.True);
            Assert.That(result.Answer.Answer, Is.EqualTo("cached answer"));
        });
        _orchestrator.Verify(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        _executor.Verify(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task AskAsync_UseCacheFalse_AsksTheCacheToRefresh()
    {
        _orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Completion("""{"route":"general","prompt":"p"}"""));
        _executor.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Completion("fresh"));

        await CreateService().AskAsync(new AskQuery("q", UseCache: false), CancellationToken.None);

        _cache.Verify(c => c.GetOrCreateAsync(It.IsAny<string>(), It.IsAny<Func<CancellationToken, ValueTask<AskAnswer>>>(), CacheMode.Refresh, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public void AskAsync_ExecutorUnconfigured_ThrowsNotConfiguredBeforeAnyCall()
    {
        _executor.SetupGet(m => m.Info).Returns(new ChatModelInfo(ModelRole.Executor, "openai", "gpt-4o-mini", "OPENAI_API_KEY"));

        var exception = Assert.ThrowsAsync<ProviderException>(() => CreateService().AskAsync(new AskQuery("q"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Failure, Is.EqualTo(ProviderFailure.NotConfigured));
            Assert.That(string.Join(',', exception.MissingSettings), Is.EqualTo("OPENAI_API_KEY"));
        });
        _cache.VerifyNoOtherCalls();
    }
}
