using System.ClientModel;
using System.Net;
using System.Text.Json;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;
using OpenAIChatFinishReason = OpenAI.Chat.ChatFinishReason;

namespace AgentApi.Tests.OpenAICompatible;

/// <summary>The official OpenAI .NET SDK, and Microsoft.Extensions.AI's IChatClient over it, against the real app and fake providers.</summary>
[TestFixture]
public sealed class OpenAISdkTests : HostedFixture
{
    private static readonly string[] ModelIds = ["agentapi", "agentapi-direct"];
    private static readonly string[] ConversationRoles = ["system", "user", "assistant", "user"];

    [Test]
    public async Task GetModels_OpenAISdk_ListsOrchestratedAndDirectIds()
    {
        var models = await OpenAISdk.Models(Host).GetModelsAsync();

        Assert.That(models.Value.Select(model => model.Id), Is.EqualTo(ModelIds));
        Assert.That(models.Value.Select(model => model.OwnedBy), Is.All.EqualTo("agentapi"));
    }

    [Test]
    public async Task CompleteChat_SingleTurn_AnswersThroughOrchestratorAndExecutor()
    {
        var question = Queries.Unique("What is the capital of France?");

        var result = await OpenAISdk.Chat(Host).CompleteChatAsync(new UserChatMessage(question));

        var completion = result.Value;
        var headers = result.GetRawResponse().Headers;
        Assert.Multiple(() =>
        {
            Assert.That(completion.Content.Single().Text, Does.StartWith("echo: Focused: " + question));
            Assert.That(completion.Role, Is.EqualTo(ChatMessageRole.Assistant));
            Assert.That(completion.Refusal, Is.Null);
            Assert.That(completion.FinishReason, Is.EqualTo(OpenAIChatFinishReason.Stop));
            Assert.That(completion.Model, Is.EqualTo("agentapi"));
            Assert.That(completion.Id, Does.StartWith("chatcmpl-"));
            Assert.That(completion.CreatedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
            Assert.That(completion.Usage.InputTokenCount, Is.GreaterThan(0));
            Assert.That(completion.Usage.OutputTokenCount, Is.GreaterThan(0));
            Assert.That(completion.Usage.TotalTokenCount, Is.EqualTo(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount));
            Assert.That(Header(headers, "x-agentapi-route"), Is.EqualTo("general"));
            Assert.That(Header(headers, "x-agentapi-executor-model"), Does.StartWith("gpt-4o-mini"));
            Assert.That(Header(headers, "x-agentapi-cache"), Is.EqualTo("miss"));
            Assert.That(Header(headers, "x-agentapi-fallback"), Is.EqualTo("false"));
            Assert.That(Header(headers, "x-request-id"), Is.Not.Empty);
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(1));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task CompleteChat_SingleTurn_UsageIsBothStepsSummedAndSharedWithTheNativeAsk()
    {
        var question = Queries.Unique("Name three primes");

        var result = await OpenAISdk.Chat(Host).CompleteChatAsync(new UserChatMessage(question));
        using var native = await Host.AskAsync(new { query = question });

        var body = await AgentApiHost.JsonAsync(native);
        var usage = result.Value.Usage;
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("cached").GetBoolean(), Is.True, "one question, no instructions: the same answer as /api/ask");
            Assert.That(usage.InputTokenCount, Is.EqualTo(body.GetProperty("orchestrator").GetProperty("inputTokens").GetInt32() + body.GetProperty("executor").GetProperty("inputTokens").GetInt32()));
            Assert.That(usage.OutputTokenCount, Is.EqualTo(body.GetProperty("orchestrator").GetProperty("outputTokens").GetInt32() + body.GetProperty("executor").GetProperty("outputTokens").GetInt32()));
            Assert.That(Header(result.GetRawResponse().Headers, "x-agentapi-usage"), Does.Match(@"^orchestrator;in=\d+;out=\d+, executor;in=\d+;out=\d+$"));
        });
    }

    [Test]
    public async Task GetResponse_ThreeTurnConversation_BothModelsSeeTheEarlierTurns()
    {
        var first = Queries.Unique("How do I reverse a list in C#?");
        IChatClient chat = OpenAISdk.Chat(Host).AsIChatClient();
        List<AIChatMessage> messages =
        [
            new(AIChatRole.System, "Answer in one line."),
            new(AIChatRole.User, first),
            new(AIChatRole.Assistant, "Call list.Reverse()."),
            new(AIChatRole.User, "and in Python?"),
        ];

        var response = await chat.GetResponseAsync(messages);

        Assert.That(response.Text, Does.StartWith("echo: Focused: and in Python?"));
        var orchestratorPrompt = GeminiText(Host.Gemini.Requests.Single(r => r.Method == "POST").Body);
        var input = Plans.InputIn(orchestratorPrompt);
        Assert.Multiple(() =>
        {
            Assert.That(input.GetProperty("query").GetString(), Is.EqualTo("and in Python?"));
            Assert.That(input.GetProperty("history")[0].GetProperty("role").GetString(), Is.EqualTo("user"));
            Assert.That(input.GetProperty("history")[0].GetProperty("text").GetString(), Is.EqualTo(first));
            Assert.That(input.GetProperty("history")[1].GetProperty("role").GetString(), Is.EqualTo("assistant"));
            Assert.That(input.GetProperty("history")[1].GetProperty("text").GetString(), Is.EqualTo("Call list.Reverse()."));
            Assert.That(orchestratorPrompt, Does.Not.Contain("Answer in one line."), "the caller's instructions are for the executor");
        });

        using var sent = JsonDocument.Parse(Host.OpenAI.Requests.Single(r => r.Method == "POST").Body);
        var executorMessages = sent.RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => (Role: m.GetProperty("role").GetString(), Content: m.GetProperty("content").GetString()!)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(executorMessages.Select(m => m.Role), Is.EqualTo(ConversationRoles));
            Assert.That(executorMessages[0].Content, Does.StartWith("You are a helpful").And.EndWith("\n\nAnswer in one line."));
            Assert.That(executorMessages[1].Content, Is.EqualTo(first));
            Assert.That(executorMessages[2].Content, Is.EqualTo("Call list.Reverse()."));
            Assert.That(executorMessages[3].Content, Does.StartWith("Focused: and in Python?"));
        });
    }

    [Test]
    public async Task GetResponse_SameConversationTwice_SecondIsACacheHit()
    {
        List<AIChatMessage> messages =
        [
            new(AIChatRole.User, Queries.Unique("Explain closures")),
            new(AIChatRole.Assistant, "A closure captures variables."),
            new(AIChatRole.User, "Show an example"),
        ];
        List<AIChatMessage> otherHistory = [messages[0], new(AIChatRole.Assistant, "Something else entirely."), messages[2]];

        var first = await OpenAISdk.Chat(Host).CompleteChatAsync(ToOpenAI(messages));
        var second = await OpenAISdk.Chat(Host).CompleteChatAsync(ToOpenAI(messages));
        var other = await OpenAISdk.Chat(Host).CompleteChatAsync(ToOpenAI(otherHistory));

        Assert.Multiple(() =>
        {
            Assert.That(Header(first.GetRawResponse().Headers, "x-agentapi-cache"), Is.EqualTo("miss"));
            Assert.That(Header(second.GetRawResponse().Headers, "x-agentapi-cache"), Is.EqualTo("hit"));
            Assert.That(Header(other.GetRawResponse().Headers, "x-agentapi-cache"), Is.EqualTo("miss"), "the key covers the earlier turns");
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task CompleteChat_DirectModel_SkipsTheOrchestrator()
    {
        var question = Queries.Unique("Say hello");

        var result = await OpenAISdk.Chat(Host, "agentapi-direct").CompleteChatAsync(new UserChatMessage(question));

        Assert.Multiple(() =>
        {
            Assert.That(result.Value.Content.Single().Text, Is.EqualTo("echo: " + question));
            Assert.That(result.Value.Model, Is.EqualTo("agentapi-direct"));
            Assert.That(Header(result.GetRawResponse().Headers, "x-agentapi-route"), Is.EqualTo("general"), "the default route answers, without the orchestrator");
            Assert.That(Header(result.GetRawResponse().Headers, "x-agentapi-fallback"), Is.EqualTo("false"));
            Assert.That(Host.Gemini.CallCount, Is.Zero);
        });
    }

    [Test]
    public async Task CompleteChat_TemperatureAndMaxTokens_ReachTheExecutor()
    {
        var options = new ChatCompletionOptions { Temperature = 0.3f, MaxOutputTokenCount = 3 };

        var result = await OpenAISdk.Chat(Host).CompleteChatAsync([new UserChatMessage(Queries.Unique("Write a long story about a cat"))], options);

        using var sent = JsonDocument.Parse(Host.OpenAI.Requests.Single(r => r.Method == "POST").Body);
        var limit = sent.RootElement.TryGetProperty("max_tokens", out var maxTokens) ? maxTokens : sent.RootElement.GetProperty("max_completion_tokens");
        Assert.Multiple(() =>
        {
            Assert.That(sent.RootElement.GetProperty("temperature").GetDouble(), Is.EqualTo(0.3).Within(1e-6));
            Assert.That(limit.GetInt32(), Is.EqualTo(3));
            Assert.That(result.Value.FinishReason, Is.EqualTo(OpenAIChatFinishReason.Length));
        });
    }

    [Test]
    public async Task CompleteChat_ExecutorWithholdsTheAnswer_FinishReasonContentFilter()
    {
        Host.OpenAI.Enqueue(FakeResponse.Json(200, FakeOpenAIServer.SuccessBody("", "content_filter")));

        var result = await OpenAISdk.Chat(Host).CompleteChatAsync(new UserChatMessage(Queries.Unique("Something the filter blocks")));

        Assert.Multiple(() =>
        {
            Assert.That(result.GetRawResponse().Status, Is.EqualTo(200));
            Assert.That(result.Value.FinishReason, Is.EqualTo(OpenAIChatFinishReason.ContentFilter));
            Assert.That(result.Value.Content.Select(part => part.Text), Is.All.Empty);
        });
    }

    [Test]
    public async Task GetResponse_OrchestratorFails_ExecutorStillGetsTheConversation()
    {
        var internalError = FakeGeminiServer.InternalError();
        Host.Gemini.Enqueue(internalError, internalError, internalError);
        var first = Queries.Unique("Name a sorting algorithm");
        IChatClient chat = OpenAISdk.Chat(Host).AsIChatClient();

        var response = await chat.GetResponseAsync([new(AIChatRole.User, first), new(AIChatRole.Assistant, "Quicksort."), new(AIChatRole.User, "Its complexity?")]);

        using var sent = JsonDocument.Parse(Host.OpenAI.Requests.Single(r => r.Method == "POST").Body);
        var contents = sent.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(response.Text, Is.EqualTo("echo: Its complexity?"));
            Assert.That(contents.Skip(1), Is.EqualTo((string?[])[first, "Quicksort.", "Its complexity?"]));
        });
    }

    [Test]
    public void CompleteChat_UnknownModel_RaisesClientResultExceptionWith404()
    {
        var ex = Assert.ThrowsAsync<ClientResultException>(() => OpenAISdk.Chat(Host, "gpt-4o").CompleteChatAsync(new UserChatMessage("hi")));

        Assert.That(ex!.Status, Is.EqualTo(404));
        var error = ErrorOf(ex);
        Assert.Multiple(() =>
        {
            Assert.That(error.GetProperty("code").GetString(), Is.EqualTo("model_not_found"));
            Assert.That(error.GetProperty("param").GetString(), Is.EqualTo("model"));
            Assert.That(error.GetProperty("type").GetString(), Is.EqualTo("invalid_request_error"));
            Assert.That(Host.Gemini.CallCount + Host.OpenAI.CallCount, Is.Zero);
        });
    }

    [Test]
    public void CompleteChat_ImagePart_RaisesClientResultExceptionNamingThePart()
    {
        var message = new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is in this picture?"),
            ChatMessageContentPart.CreateImagePart(new Uri("https://example.com/cat.png")));

        var ex = Assert.ThrowsAsync<ClientResultException>(() => OpenAISdk.Chat(Host).CompleteChatAsync([new SystemChatMessage("Be brief."), message]));

        Assert.That(ex!.Status, Is.EqualTo(400));
        Assert.That(ErrorOf(ex).GetProperty("param").GetString(), Is.EqualTo("messages[1].content[1].type"));
    }

    [Test]
    public void CompleteChat_ExecutorFails_RaisesClientResultExceptionWithProviderStatusAndNoProviderText()
    {
        var serverError = FakeOpenAIServer.ServerError();
        Host.OpenAI.Enqueue(serverError, serverError, serverError);

        var ex = Assert.ThrowsAsync<ClientResultException>(() => OpenAISdk.Chat(Host).CompleteChatAsync(new UserChatMessage(Queries.Unique("Hello"))));

        Assert.That(ex!.Status, Is.EqualTo((int)HttpStatusCode.BadGateway));
        var error = ErrorOf(ex);
        Assert.Multiple(() =>
        {
            Assert.That(error.GetProperty("type").GetString(), Is.EqualTo("server_error"));
            Assert.That(error.GetProperty("code").GetString(), Is.EqualTo("provider_error"));
            Assert.That(error.GetRawText(), Does.Not.Contain("Sorry about that").And.Not.Contain(FakeOpenAIServer.DefaultApiKey));
        });
    }

    [Test]
    public void GetResponse_UnknownModelThroughIChatClient_RaisesClientResultException()
    {
        IChatClient chat = OpenAISdk.Chat(Host, "no-such-model").AsIChatClient();

        var ex = Assert.ThrowsAsync<ClientResultException>(() => chat.GetResponseAsync("hi"));

        Assert.That(ex!.Status, Is.EqualTo(404));
    }

    private static string Header(System.ClientModel.Primitives.PipelineResponseHeaders headers, string name) =>
        headers.TryGetValue(name, out var value) ? value! : throw new AssertionException($"header {name} missing");

    private static JsonElement ErrorOf(ClientResultException ex)
    {
        using var document = JsonDocument.Parse(ex.GetRawResponse()!.Content.ToString());
        return document.RootElement.GetProperty("error").Clone();
    }

    private static string GeminiText(string body)
    {
        using var document = JsonDocument.Parse(body);
        var contents = document.RootElement.GetProperty("contents");
        return contents[contents.GetArrayLength() - 1].GetProperty("parts")[0].GetProperty("text").GetString()!;
    }

    private static List<OpenAI.Chat.ChatMessage> ToOpenAI(List<AIChatMessage> messages) =>
        [.. messages.Select(m => m.Role == AIChatRole.User ? (OpenAI.Chat.ChatMessage)new UserChatMessage(m.Text) : new AssistantChatMessage(m.Text))];
}
