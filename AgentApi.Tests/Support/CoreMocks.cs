using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Providers;
using Moq;

namespace AgentApi.Tests.Support;

/// <summary>Builders for the Moq'd collaborators of Core's ask pipeline.</summary>
public static class CoreMocks
{
    public static Mock<IChatModel> Orchestrator(MockBehavior behavior = MockBehavior.Strict) =>
        ChatModel(new ChatModelStatus(ModelRole.Orchestrator, "gemini", "gemma-3-1b-it", null, CircuitState.Closed), behavior);

    public static Mock<IChatModel> Executor(MockBehavior behavior = MockBehavior.Strict) =>
        ChatModel(new ChatModelStatus(ModelRole.Executor, "openai", "gpt-4o-mini", null, CircuitState.Closed), behavior);

    /// <summary>A cache that always produces, like a cold key.</summary>
    public static Mock<IAnswerCache> PassThroughCache()
    {
        var cache = new Mock<IAnswerCache>(MockBehavior.Strict);
        cache.Setup(c => c.GetOrCreateAsync(It.IsAny<string>(), It.IsAny<Func<CancellationToken, ValueTask<AskAnswer>>>(), It.IsAny<CacheMode>(), It.IsAny<CancellationToken>()))
            .Returns(async (string _, Func<CancellationToken, ValueTask<AskAnswer>> produce, CacheMode _, CancellationToken ct) => new CacheLookup(await produce(ct), CacheSource.Produced));
        return cache;
    }

    private static Mock<IChatModel> ChatModel(ChatModelStatus status, MockBehavior behavior)
    {
        var model = new Mock<IChatModel>(behavior);
        model.SetupGet(m => m.Status).Returns(status);
        return model;
    }
}
