using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Providers;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Execution;
using AgentApi.Core.Orchestration;
using AgentApi.Core.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace AgentApi.Tests.Support;

/// <summary>Builders for the Moq'd collaborators of Core's ask pipeline.</summary>
public static class CoreMocks
{
    public static Mock<IChatModel> Orchestrator(MockBehavior behavior = MockBehavior.Strict) =>
        ChatModel(new ChatModelInfo(ModelRole.Orchestrator, "gemini", "gemma-3-1b-it", null), behavior);

    public static Mock<IChatModel> Executor(MockBehavior behavior = MockBehavior.Strict) =>
        ChatModel(new ChatModelInfo(ModelRole.Executor, "openai", "gpt-4o-mini", null), behavior);

    /// <summary>
    /// The real ask pipeline over mocked models, wired as DI wires it: each model inside the deadline and
    /// metrics decorators (<see cref="ChatModelPipeline"/>), then the two steps and the service.
    /// </summary>
    internal static AskService AskService(
        IChatModel orchestrator, IChatModel executor, IAnswerCache cache, AskOptions? options = null, AgentApiMetrics? metrics = null, RouteTable? routes = null,
        IToolCallRoutes? toolCallRoutes = null)
    {
        var askOptions = Options.Create(options ?? new AskOptions());
        metrics ??= TestMetrics.Create();
        routes ??= BuiltInRoutes.Table;
        var time = TimeProvider.System;
        return new AskService(
            new OrchestrationStep(ChatModelPipeline.Build(orchestrator, metrics, time), routes, askOptions, time, NullLogger<OrchestrationStep>.Instance),
            Execution(ChatModelPipeline.Build(executor, metrics, time), routes, metrics, askOptions, time),
            cache,
            toolCallRoutes ?? new MemoryToolCallRoutes(),
            routes,
            metrics,
            askOptions,
            time,
            NullLogger<AskService>.Instance);
    }

    /// <summary>The execution step with <paramref name="executor"/> as every provider the routes name (the built-in one, in these tests).</summary>
    internal static ExecutionStep Execution(IChatModel executor, RouteTable routes, AgentApiMetrics metrics, IOptions<AskOptions> options, TimeProvider time) =>
        new(executor, new SingleProviderModels(executor), routes, metrics, options, time, NullLogger<ExecutionStep>.Instance);

    /// <summary>A cache that always produces, like a cold key.</summary>
    public static Mock<IAnswerCache> PassThroughCache()
    {
        var cache = new Mock<IAnswerCache>(MockBehavior.Strict);
        cache.Setup(c => c.GetOrCreateAsync(It.IsAny<string>(), It.IsAny<Func<CancellationToken, ValueTask<AskAnswer>>>(), It.IsAny<CacheMode>(), It.IsAny<CancellationToken>()))
            .Returns(async (string _, Func<CancellationToken, ValueTask<AskAnswer>> produce, CacheMode _, CancellationToken ct) => new CacheLookup(await produce(ct), CacheSource.Produced));
        return cache;
    }

    private sealed class SingleProviderModels(IChatModel executor) : IChatModels
    {
        public IReadOnlyList<IChatModel> All { get; } = [executor];

        public IChatModel Find(string role, string provider) => executor;
    }

    private static Mock<IChatModel> ChatModel(ChatModelInfo info, MockBehavior behavior)
    {
        var model = new Mock<IChatModel>(behavior);
        model.SetupGet(m => m.Info).Returns(info);
        model.SetupGet(m => m.Circuit).Returns(CircuitState.Closed);
        return model;
    }
}
