using AgentApi.Core.Diagnostics;
using AgentApi.Core.Orchestration;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers;
using AgentApi.Infrastructure.Providers.Anthropic;
using AgentApi.Infrastructure.Providers.Gemini;
using AgentApi.Infrastructure.Providers.OpenAI;
using AgentApi.Infrastructure.Providers.Resilience;
using AgentApi.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Refit;

namespace AgentApi.Tests.Unit;

/// <summary>
/// The warm-up's canned provider replies, read by the real Refit clients and models (the same readers as the
/// providers' real answers): Gemini, OpenAI and Anthropic, JSON and event streams. Outside a warm-up ask the handler
/// passes the call on.
/// </summary>
[TestFixture]
public sealed class WarmUpReplyHandlerTests
{
    private static readonly ChatRequest Request = new("warm-up 1: what is the capital of France?");

    [TestCase(ProviderProtocol.Gemini)]
    [TestCase(ProviderProtocol.OpenAI)]
    public async Task Orchestrator_InAWarmUpAsk_ReadsACannedPlan(string protocol)
    {
        var (model, network) = Model(ModelRole.Orchestrator, protocol);

        var completion = await InWarmUp(() => model.CompleteAsync(Request, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(PlanParser.TryParse(completion.Text)?.Prompt, Is.EqualTo("Name the capital of France in one word."));
            Assert.That(completion.FinishReason, Is.EqualTo(FinishReason.Stop));
            Assert.That(completion.Usage.Total, Is.Zero);
            Assert.That(network.Calls, Is.Zero);
        });
    }

    [TestCase(ProviderProtocol.Gemini)]
    [TestCase(ProviderProtocol.OpenAI)]
    [TestCase(ProviderProtocol.Anthropic)]
    public async Task Executor_InAWarmUpAsk_ReadsACannedAnswer_WholeAndStreamed(string protocol)
    {
        var (model, network) = Model(ModelRole.Executor, protocol);

        var whole = await InWarmUp(() => model.CompleteAsync(Request, CancellationToken.None));
        var updates = await InWarmUp(async () =>
        {
            var list = new List<ChatStreamUpdate>();
            await foreach (var update in model.StreamAsync(Request, CancellationToken.None))
            {
                list.Add(update);
            }

            return list;
        });

        Assert.Multiple(() =>
        {
            Assert.That(whole.Text, Is.EqualTo("Paris."));
            Assert.That(whole.FinishReason, Is.EqualTo(FinishReason.Stop));
            Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo("Paris."));
            Assert.That(updates[^1].Completion?.FinishReason, Is.EqualTo(FinishReason.Stop), "the stream ends with its completion");
            Assert.That(network.Calls, Is.Zero);
        });
    }

    [Test]
    public void Executor_OutsideAWarmUpAsk_CallsThrough()
    {
        var (model, network) = Model(ModelRole.Executor, ProviderProtocol.OpenAI);

        Assert.ThrowsAsync<ProviderException>(() => model.CompleteAsync(Request, CancellationToken.None));
        Assert.That(network.Calls, Is.GreaterThan(0), "the call went past the handler to the network");
    }

    private static async Task<T> InWarmUp<T>(Func<Task<T>> action)
    {
        WarmUpScope.Enter();
        return await action();
    }

    private static (IChatModel Model, Network Network) Model(string role, string protocol)
    {
        var channel = new ProviderChannel(role, protocol, new Uri($"https://{protocol}.test/{(protocol == ProviderProtocol.Gemini ? "v1beta" : "v1")}/"),
            "key", protocol switch { ProviderProtocol.Gemini => "gemma-3-1b-it", ProviderProtocol.Anthropic => "claude-haiku-4-5", _ => "gpt-4o-mini" }, null, TimeSpan.FromSeconds(5));
        var network = new Network();
        var http = new HttpClient(new WarmUpReplyHandler(channel) { InnerHandler = network }) { BaseAddress = channel.BaseUrl };
        var policies = new ProviderPolicies(Options.Create(new ResilienceOptions { MaxAttempts = 1 }), TimeProvider.System, NullLogger<ProviderPolicies>.Instance, TestMetrics.Create());
        IChatModel model = protocol switch
        {
            ProviderProtocol.Gemini => new GeminiChatModel(RestService.ForGenerated<IGeminiApi>(http, new RefitSettings(new SystemTextJsonContentSerializer(GeminiJsonContext.Default.Options))), http, channel, policies, NullLogger<GeminiChatModel>.Instance),
            ProviderProtocol.Anthropic => new AnthropicChatModel(RestService.ForGenerated<IAnthropicApi>(http, new RefitSettings(new SystemTextJsonContentSerializer(AnthropicJsonContext.Default.Options))), http, channel, policies, NullLogger<AnthropicChatModel>.Instance),
            _ => new OpenAIChatModel(RestService.ForGenerated<IOpenAIApi>(http, new RefitSettings(new SystemTextJsonContentSerializer(OpenAIJsonContext.Default.Options))), http, channel, policies, NullLogger<OpenAIChatModel>.Instance),
        };
        return (model, network);
    }

    /// <summary>Stands for the network: counts what reaches it and fails it.</summary>
    private sealed class Network : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new HttpRequestException("no network in this test");
        }
    }
}
