using System.Text.Json;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers;
using AgentApi.Infrastructure.Providers.OpenAI;
using AgentApi.Tests.Support;
using Moq;

namespace AgentApi.Tests.Unit;

/// <summary>Tool exchanges and response formats in Core: the cache key, the history window, the continuation rule, and the executor's wire request.</summary>
[TestFixture]
public sealed class ToolTurnTests
{
    private const string Schema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""";

    private static readonly ToolCall Call = new("call_1", "get_weather", """{"city":"Paris"}""");
    private static readonly ToolDefinition Weather = new("get_weather", "Gets the weather", Schema, Strict: true);

    private static readonly ChatTurn[] Exchange =
    [
        new(ChatRole.Assistant, string.Empty) { ToolCalls = [Call] },
        new(ChatRole.Tool, "21 degrees") { ToolCallId = "call_1" },
    ];

    [Test]
    public void CreateKey_ToolsChoiceParallelFormatOrExchangeDiffer_GetDifferentKeys()
    {
        var query = new AskQuery("What is the weather in Paris?") { Tools = new ToolSet([Weather]) };
        AskQuery[] variants =
        [
            new AskQuery("What is the weather in Paris?"),
            query,
            query with { Tools = new ToolSet([Weather with { Description = "Weather now" }]) },
            query with { Tools = new ToolSet([Weather with { Parameters = """{"type":"object"}""" }]) },
            query with { Tools = new ToolSet([Weather with { Strict = false }]) },
            query with { Tools = new ToolSet([Weather, new ToolDefinition("get_time")]) },
            query with { Tools = new ToolSet([Weather], ToolChoice.Required) },
            query with { Tools = new ToolSet([Weather], ToolChoice.Function("get_weather")) },
            query with { Tools = new ToolSet([Weather], ToolChoice.None) },
            query with { Tools = new ToolSet([Weather], ParallelToolCalls: false) },
            query with { ResponseFormat = ResponseFormat.JsonObject },
            query with { ResponseFormat = ResponseFormat.JsonSchema("answer", Schema, strict: true) },
            query with { ResponseFormat = ResponseFormat.JsonSchema("answer", Schema, strict: false) },
            query with { ResponseFormat = ResponseFormat.JsonSchema("other", Schema, strict: true) },
            query with { ToolTurns = Exchange },
            query with { ToolTurns = [Exchange[0], Exchange[1] with { Text = "22 degrees" }] },
            query with { ToolTurns = [Exchange[0] with { ToolCalls = [Call with { Id = "call_2" }] }, Exchange[1] with { ToolCallId = "call_2" }] },
            query with { ToolTurns = [Exchange[0] with { ToolCalls = [Call with { Arguments = """{"city":"Rome"}""" }] }, Exchange[1]] },
            query with { History = [new ChatTurn(ChatRole.User, "Hi"), .. Exchange] },
        ];

        var keys = variants.Select(variant => AnswerCacheKey.Create(variant, "o", "e", "v", "conversation")).ToList();

        Assert.That(keys, Is.Unique);
    }

    [Test]
    public void CreateKey_SameToolConversation_SameKey()
    {
        AskQuery Build() => new("What is the weather in Paris?")
        {
            Tools = new ToolSet([Weather], ToolChoice.Auto, ParallelToolCalls: true),
            ToolTurns = [.. Exchange],
            ResponseFormat = ResponseFormat.JsonSchema("answer", Schema, strict: true),
        };

        var first = AnswerCacheKey.Create(Build(), "o", "e", "v", "c");
        var second = AnswerCacheKey.Create(Build(), "o", "e", "v", "c");

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Recent_WindowWouldStartOnAToolResult_StartsAfterIt()
    {
        ChatTurn[] turns = [new(ChatRole.User, new string('q', 100)), .. Exchange, new(ChatRole.Assistant, "It is 21 degrees.")];

        // Room for the result and the answer, not for the call (its name and arguments count).
        var window = ConversationWindow.Recent(turns, maxChars: "21 degrees".Length + "It is 21 degrees.".Length + 5);

        Assert.That(window.Select(turn => turn.Role), Is.EqualTo((ChatRole[])[ChatRole.Assistant]), "the result without its call is left out, never sent alone");
    }

    [Test]
    public void Recent_LatestTurnIsAToolResultTooLongForTheBudget_IsNeverCut()
    {
        ChatTurn[] turns = [Exchange[0], Exchange[1] with { Text = new string('x', 500) }];

        Assert.That(ConversationWindow.Recent(turns, maxChars: 100), Is.Empty);
    }

    [Test]
    public async Task AskAsync_ToolResultTurn_ContinuesOnTheRememberedRouteWithoutTheOrchestrator()
    {
        var orchestrator = CoreMocks.Orchestrator();
        var executor = CoreMocks.Executor();
        ChatRequest? sent = null;
        executor.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .Callback((ChatRequest request, CancellationToken _) => sent = request)
            .ReturnsAsync(new ChatCompletion("It is 21 degrees.", "gpt-4o-mini", new TokenUsage(10, 5), FinishReason.Stop));
        var routes = new MemoryToolCallRoutes();
        await routes.RememberAsync([Call], "coding", CancellationToken.None);
        var service = CoreMocks.AskService(orchestrator.Object, executor.Object, CoreMocks.PassThroughCache().Object, toolCallRoutes: routes);

        var result = await service.AskAsync(new AskQuery("What is the weather in Paris?") { Tools = new ToolSet([Weather]), ToolTurns = Exchange }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            orchestrator.Verify(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()), Times.Never);
            Assert.That(result.Answer.Route, Is.EqualTo("coding"));
            Assert.That(result.Answer.Fallback, Is.False);
            Assert.That(sent!.UserMessage, Is.EqualTo("What is the weather in Paris?"));
            Assert.That(sent.ToolTurns, Is.EqualTo(Exchange));
            Assert.That(sent.Tools!.Tools, Is.EqualTo((ToolDefinition[])[Weather]));
        });
    }

    [Test]
    public async Task AskAsync_ToolResultOfAnUnknownCall_DefaultRouteAsAFallback()
    {
        var orchestrator = CoreMocks.Orchestrator();
        var executor = CoreMocks.Executor();
        executor.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ChatCompletion("It is 21 degrees.", "gpt-4o-mini", new TokenUsage(10, 5), FinishReason.Stop));
        var service = CoreMocks.AskService(orchestrator.Object, executor.Object, CoreMocks.PassThroughCache().Object);

        var result = await service.AskAsync(new AskQuery("What is the weather in Paris?") { ToolTurns = Exchange }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            orchestrator.Verify(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()), Times.Never);
            Assert.That(result.Answer.Route, Is.EqualTo("general"));
            Assert.That(result.Answer.Fallback, Is.True);
            Assert.That(result.Answer.FallbackReason, Does.Contain("not known"));
            Assert.That(result.Answer.IsCacheable, Is.False);
        });
    }

    [Test]
    public async Task AskAsync_ExecutorCallsATool_RemembersTheRouteAndAnswersWithTheCall()
    {
        var orchestrator = CoreMocks.Orchestrator();
        orchestrator.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ChatCompletion(Plans.Json("math", "Focused"), "gemma-3-1b-it", new TokenUsage(10, 5), FinishReason.Stop));
        var executor = CoreMocks.Executor();
        executor.Setup(m => m.CompleteAsync(It.IsAny<ChatRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ChatCompletion(string.Empty, "gpt-4o-mini", new TokenUsage(10, 5), FinishReason.ToolCalls) { ToolCalls = [Call] });
        var routes = new MemoryToolCallRoutes();
        var service = CoreMocks.AskService(orchestrator.Object, executor.Object, CoreMocks.PassThroughCache().Object, toolCallRoutes: routes);

        var result = await service.AskAsync(new AskQuery("What is the weather in Paris?") { Tools = new ToolSet([Weather]) }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Answer.ToolCalls, Is.EqualTo((ToolCall[])[Call]));
            Assert.That(result.Answer.FinishReason, Is.EqualTo(FinishReason.ToolCalls));
            Assert.That(result.Answer.IsCacheable, Is.True);
            Assert.That(routes.Remembered["call_1"], Is.EqualTo("math"));
        });
    }

    [Test]
    public void OpenAIBuildRequest_ToolExchange_SendsItVerbatimAfterTheQuestion()
    {
        var channel = new ProviderChannel("executor", ProviderProtocol.OpenAI, new Uri("https://api.openai.com/v1"), "key", "gpt-4o-mini", null, TimeSpan.FromSeconds(30));
        var request = new ChatRequest("What is the weather in Paris?", "Be brief.")
        {
            ToolTurns = Exchange,
            Tools = new ToolSet([Weather], ToolChoice.Function("get_weather"), ParallelToolCalls: false),
            ResponseFormat = ResponseFormat.JsonSchema("answer", Schema, strict: true),
        };

        using var body = JsonDocument.Parse(JsonSerializer.Serialize(OpenAIChatModel.BuildRequest(channel, request), OpenAIJsonContext.Default.ChatCompletionRequest));

        var root = body.RootElement;
        var messages = root.GetProperty("messages");
        Assert.Multiple(() =>
        {
            Assert.That(messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()), Is.EqualTo((string[])["system", "user", "assistant", "tool"]));
            Assert.That(messages[2].TryGetProperty("content", out _), Is.False, "an assistant message that only calls tools has no content");
            Assert.That(messages[2].GetProperty("tool_calls")[0].GetRawText(), Is.EqualTo("""{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\u0022city\u0022:\u0022Paris\u0022}"}}"""));
            Assert.That(messages[3].GetProperty("tool_call_id").GetString(), Is.EqualTo("call_1"));
            Assert.That(root.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters").GetRawText(), Is.EqualTo(Schema));
            Assert.That(root.GetProperty("tools")[0].GetProperty("function").GetProperty("strict").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("tool_choice").GetRawText(), Is.EqualTo("""{"type":"function","function":{"name":"get_weather"}}"""));
            Assert.That(root.GetProperty("parallel_tool_calls").GetBoolean(), Is.False);
            Assert.That(root.GetProperty("response_format").GetRawText(), Is.EqualTo("""{"type":"json_schema","json_schema":{"name":"answer","schema":""" + Schema + ""","strict":true}}"""));
        });
    }
}
