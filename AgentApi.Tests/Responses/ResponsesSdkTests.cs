using System.ClientModel;
using System.Text.Json;
using AgentApi.Tests.Support;
using Microsoft.Extensions.AI;
using OpenAI.Responses;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;

// The SDK marks its Responses API types as for evaluation (OPENAI001): the API is OpenAI's, AgentApi serves it.
#pragma warning disable OPENAI001

namespace AgentApi.Tests.Responses;

/// <summary>
/// The official OpenAI .NET SDK's <see cref="ResponsesClient"/>, and Microsoft.Extensions.AI's IChatClient over it, against
/// <c>/v1/responses</c> on the real app; the fake providers still speak Chat Completions and Gemini, and what they
/// received is what the tests check.
/// </summary>
[TestFixture]
public sealed class ResponsesSdkTests : HostedFixture
{
    private static readonly string[] StreamedKinds =
    [
        nameof(StreamingResponseCreatedUpdate), nameof(StreamingResponseInProgressUpdate), nameof(StreamingResponseOutputItemAddedUpdate),
        nameof(StreamingResponseContentPartAddedUpdate), nameof(StreamingResponseOutputTextDeltaUpdate), nameof(StreamingResponseOutputTextDoneUpdate),
        nameof(StreamingResponseContentPartDoneUpdate), nameof(StreamingResponseOutputItemDoneUpdate), nameof(StreamingResponseCompletedUpdate),
    ];

    private static readonly string[] StreamedCallKinds =
    [
        nameof(StreamingResponseCreatedUpdate), nameof(StreamingResponseInProgressUpdate), nameof(StreamingResponseOutputItemAddedUpdate),
        nameof(StreamingResponseFunctionCallArgumentsDeltaUpdate), nameof(StreamingResponseFunctionCallArgumentsDoneUpdate),
        nameof(StreamingResponseOutputItemDoneUpdate), nameof(StreamingResponseCompletedUpdate),
    ];

    private static readonly string[] CityAndCountry = ["city", "country"];
    private static readonly string[] ChatCompletionsOnly = ["/v1/chat/completions"];
    private static readonly string[] ThreeTurnRoles = ["system", "user", "assistant", "user", "assistant", "user"];

    private static readonly string WeatherParameters = """
        {"type":"object","properties":{"city":{"type":"string","description":"The city, e.g. Paris"}},"required":["city"],"additionalProperties":false}
        """;

    [Test]
    public async Task CreateResponse_SingleTurn_AnswersThroughOrchestratorAndExecutorOverChatCompletions()
    {
        var question = Queries.Unique("What is the capital of France?");
        var options = new CreateResponseOptions("agentapi", [ResponseItem.CreateUserMessageItem(question)]) { Instructions = "Answer in one line." };

        var result = await OpenAISdk.Responses(Host).CreateResponseAsync(options);

        var response = result.Value;
        var headers = result.GetRawResponse().Headers;
        var message = response.OutputItems.OfType<MessageResponseItem>().Single();
        var system = ExecutorRequests()[0].GetProperty("messages")[0].GetProperty("content").GetString();
        Assert.Multiple(() =>
        {
            Assert.That(response.Id, Does.Match("^resp_[0-9a-f]{32}$"));
            Assert.That(response.Status, Is.EqualTo(ResponseStatus.Completed));
            Assert.That(response.GetOutputText(), Does.StartWith("echo: Focused: " + question));
            Assert.That(response.Model, Is.EqualTo("agentapi"));
            Assert.That(system, Does.EndWith("\n\nAnswer in one line."), "the instructions follow the route's");
            Assert.That(response.CreatedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
            Assert.That(message.Role, Is.EqualTo(MessageRole.Assistant));
            Assert.That(message.Id, Does.StartWith("msg_"));
            Assert.That(response.Usage.InputTokenCount, Is.GreaterThan(0));
            Assert.That(response.Usage.OutputTokenCount, Is.GreaterThan(0));
            Assert.That(response.Usage.TotalTokenCount, Is.EqualTo(response.Usage.InputTokenCount + response.Usage.OutputTokenCount));
            Assert.That(Header(headers, "x-agentapi-route"), Is.EqualTo("general"));
            Assert.That(Header(headers, "x-agentapi-cache"), Is.EqualTo("miss"));
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(1));
            Assert.That(Host.OpenAI.Requests.Where(r => r.Method == "POST").Select(r => r.Path), Is.EqualTo(ChatCompletionsOnly),
                "the executor is still called over Chat Completions");
        });
    }

    [Test]
    public async Task CreateResponseStreaming_Text_EventsInOrderNumberedFromZeroJoiningIntoTheAnswer()
    {
        var question = Queries.Unique("Tell me a short story");

        var updates = await StreamAsync(new CreateResponseOptions("agentapi", [ResponseItem.CreateUserMessageItem(question)]) { StreamingEnabled = true });

        var completed = updates.OfType<StreamingResponseCompletedUpdate>().Single().Response;
        var text = string.Concat(updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(update => update.Delta));
        Assert.Multiple(() =>
        {
            Assert.That(Collapsed(updates), Is.EqualTo(StreamedKinds));
            Assert.That(updates.Select(update => update.SequenceNumber), Is.EqualTo(Enumerable.Range(0, updates.Count)));
            Assert.That(updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Count(), Is.GreaterThan(1), "the text arrived in pieces");
            Assert.That(text, Does.StartWith("echo: Focused: " + question));
            Assert.That(completed.GetOutputText(), Is.EqualTo(text));
            Assert.That(updates.OfType<StreamingResponseOutputTextDoneUpdate>().Single().Text, Is.EqualTo(text));
            Assert.That(updates.OfType<StreamingResponseCreatedUpdate>().Single().Response.Id, Is.EqualTo(completed.Id));
            Assert.That(completed.Usage.TotalTokenCount, Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task CreateResponse_ChainOfThreeTurns_FirstTurnsFactReachesTheExecutorOnTheThird()
    {
        var client = OpenAISdk.Responses(Host);
        var fact = Queries.Unique("My cat is called Marmalade.");

        var first = (await client.CreateResponseAsync("agentapi", fact)).Value;
        var second = (await client.CreateResponseAsync("agentapi", "I also like tea.", first.Id)).Value;
        var third = (await client.CreateResponseAsync("agentapi", "What is my cat called?", second.Id)).Value;

        var executor = ExecutorRequests();
        var thirdMessages = executor[2].GetProperty("messages").EnumerateArray().Select(m => (Role: m.GetProperty("role").GetString(), Content: m.GetProperty("content").GetString())).ToList();
        var orchestratorInput = Plans.InputIn(GeminiText(Host.Gemini.Requests.Where(r => r.Method == "POST").Last().Body));
        Assert.Multiple(() =>
        {
            Assert.That(third.PreviousResponseId, Is.EqualTo(second.Id));
            Assert.That(third.GetOutputText(), Does.StartWith("echo: Focused: What is my cat called?"));
            Assert.That(thirdMessages.Select(m => m.Role), Is.EqualTo(ThreeTurnRoles));
            Assert.That(thirdMessages[1].Content, Is.EqualTo(fact), "the first turn's fact reached the executor on the third");
            Assert.That(thirdMessages[2].Content, Is.EqualTo(first.GetOutputText()));
            Assert.That(thirdMessages[3].Content, Is.EqualTo("I also like tea."));
            Assert.That(thirdMessages[4].Content, Is.EqualTo(second.GetOutputText()));
            Assert.That(orchestratorInput.GetProperty("history")[0].GetProperty("text").GetString(), Is.EqualTo(fact), "the orchestrator planned with the conversation in view");
            Assert.That(orchestratorInput.GetProperty("query").GetString(), Is.EqualTo("What is my cat called?"));
        });
    }

    [Test]
    public async Task CreateResponse_FunctionCallThenItsOutputOnPreviousResponseId_ExecutorGetsTheExchangeAndAnswers()
    {
        Host.OpenAI.ToolArguments = _ => """{"city":"Paris"}""";
        var client = OpenAISdk.Responses(Host);
        var options = new CreateResponseOptions("agentapi", [ResponseItem.CreateUserMessageItem(Queries.Unique("What is the weather in Paris?"))])
        {
            Tools = { ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString(WeatherParameters), strictModeEnabled: true, "Gets the current weather in a city") },
        };

        var first = (await client.CreateResponseAsync(options)).Value;
        var call = first.OutputItems.OfType<FunctionCallResponseItem>().Single();
        var second = (await client.CreateResponseAsync(new CreateResponseOptions("agentapi", [ResponseItem.CreateFunctionCallOutputItem(call.CallId, "It is 21 degrees and sunny in Paris.")])
        {
            PreviousResponseId = first.Id,
            Tools = { ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString(WeatherParameters), strictModeEnabled: true, "Gets the current weather in a city") },
        })).Value;

        var executor = ExecutorRequests();
        var messages = executor[1].GetProperty("messages").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(call.FunctionName, Is.EqualTo("get_weather"));
            Assert.That(call.FunctionArguments.ToString(), Is.EqualTo("""{"city":"Paris"}"""));
            Assert.That(call.CallId, Does.StartWith("call_"), "the executor's call id, as it made it");
            Assert.That(call.Id, Does.StartWith("fc_"));
            Assert.That(first.OutputItems.OfType<MessageResponseItem>(), Is.Empty, "a call and no text");
            Assert.That(executor[0].GetProperty("tools")[0].GetProperty("function").GetProperty("strict").GetBoolean(), Is.True);
            Assert.That(messages[^2].GetProperty("tool_calls")[0].GetProperty("id").GetString(), Is.EqualTo(call.CallId));
            Assert.That(messages[^1].GetProperty("role").GetString(), Is.EqualTo("tool"));
            Assert.That(messages[^1].GetProperty("tool_call_id").GetString(), Is.EqualTo(call.CallId));
            Assert.That(second.GetOutputText(), Is.EqualTo("echo: It is 21 degrees and sunny in Paris."));
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(1), "the output's turn continued on the route that made the call, without a plan");
        });
    }

    [Test]
    public async Task CreateResponseStreaming_FunctionCall_ArgumentsStreamInPiecesAsFunctionCallEvents()
    {
        Host.OpenAI.ToolArguments = _ => """{"city":"Paris"}""";
        var options = new CreateResponseOptions("agentapi", [ResponseItem.CreateUserMessageItem(Queries.Unique("What is the weather in Paris?"))])
        {
            StreamingEnabled = true,
            Tools = { ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString(WeatherParameters), strictModeEnabled: true, "Gets the current weather in a city") },
        };

        var updates = await StreamAsync(options);

        var done = updates.OfType<StreamingResponseFunctionCallArgumentsDoneUpdate>().Single();
        var completed = updates.OfType<StreamingResponseCompletedUpdate>().Single().Response;
        Assert.Multiple(() =>
        {
            Assert.That(Collapsed(updates), Is.EqualTo(StreamedCallKinds));
            Assert.That(updates.Select(update => update.SequenceNumber), Is.EqualTo(Enumerable.Range(0, updates.Count)));
            Assert.That(updates.OfType<StreamingResponseFunctionCallArgumentsDeltaUpdate>().Count(), Is.GreaterThan(1), "the arguments came in pieces");
            Assert.That(done.FunctionArguments.ToString(), Is.EqualTo("""{"city":"Paris"}"""));
            Assert.That(done.FunctionName, Is.EqualTo("get_weather"));
            Assert.That(completed.OutputItems.OfType<FunctionCallResponseItem>().Single().FunctionArguments.ToString(), Is.EqualTo("""{"city":"Paris"}"""));
        });
    }

    [Test]
    public async Task GetResponse_UseFunctionInvocation_CallsTheCSharpFunctionAndAnswersWithItsResult()
    {
        Host.OpenAI.ToolArguments = _ => """{"city":"Paris"}""";
        var weather = AIFunctionFactory.Create((string city) => $"It is 21 degrees and sunny in {city}.", "get_weather", "Gets the current weather in a city");
        using var chat = new ChatClientBuilder(OpenAISdk.Responses(Host).AsIChatClient("agentapi")).UseFunctionInvocation().Build();

        var response = await chat.GetResponseAsync(Queries.Unique("What is the weather in Paris?"), new ChatOptions { Tools = [weather] });

        var second = ExecutorRequests()[1].GetProperty("messages").EnumerateArray().Last();
        Assert.Multiple(() =>
        {
            Assert.That(response.Text, Does.Contain("It is 21 degrees and sunny in Paris."), "the answer uses the function's result");
            Assert.That(response.ConversationId, Does.StartWith("resp_"), "stored: the next turn can continue it");
            Assert.That(second.GetProperty("role").GetString(), Is.EqualTo("tool"));
            Assert.That(second.GetProperty("content").GetString(), Does.Contain("It is 21 degrees and sunny in Paris."), "the function's result reached the executor (Microsoft.Extensions.AI sends it as JSON)");
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task GetResponse_ConversationIdAcrossTurns_EarlierTurnsReachTheExecutor()
    {
        using var chat = OpenAISdk.Responses(Host).AsIChatClient("agentapi");
        var fact = Queries.Unique("My favourite colour is teal.");

        var first = await chat.GetResponseAsync([new AIChatMessage(AIChatRole.System, "Answer in one line."), new AIChatMessage(AIChatRole.User, fact)]);
        var second = await chat.GetResponseAsync("What is my favourite colour?", new ChatOptions { ConversationId = first.ConversationId });

        var messages = ExecutorRequests()[1].GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(second.ConversationId, Is.Not.EqualTo(first.ConversationId).And.StartWith("resp_"));
            Assert.That(messages[0], Does.EndWith("\n\nAnswer in one line."), "a system message of the conversation stays its instructions");
            Assert.That(messages[1], Is.EqualTo(fact));
            Assert.That(messages[2], Is.EqualTo(first.Text));
        });
    }

    [Test]
    public async Task CreateResponse_JsonSchemaFormat_AnswersJsonThatMatchesTheSchema()
    {
        var schema = """{"type":"object","properties":{"city":{"type":"string"},"country":{"type":"string"}},"required":["city","country"],"additionalProperties":false}""";
        var options = new CreateResponseOptions("agentapi", [ResponseItem.CreateUserMessageItem(Queries.Unique("What is the capital of France?"))])
        {
            TextOptions = new ResponseTextOptions { TextFormat = ResponseTextFormat.CreateJsonSchemaFormat("capital", BinaryData.FromString(schema), jsonSchemaIsStrict: true) },
        };

        var response = (await OpenAISdk.Responses(Host).CreateResponseAsync(options)).Value;

        using var answer = JsonDocument.Parse(response.GetOutputText());
        var format = ExecutorRequests()[0].GetProperty("response_format");
        Assert.Multiple(() =>
        {
            Assert.That(answer.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(CityAndCountry));
            Assert.That(format.GetProperty("type").GetString(), Is.EqualTo("json_schema"));
            Assert.That(format.GetProperty("json_schema").GetProperty("name").GetString(), Is.EqualTo("capital"));
            Assert.That(format.GetProperty("json_schema").GetProperty("strict").GetBoolean(), Is.True);
            Assert.That(response.TextOptions.TextFormat.Kind, Is.EqualTo(ResponseTextFormatKind.JsonSchema), "the format is echoed");
        });
    }

    [Test]
    public async Task GetResponse_StoredResponse_RetrievedAsCreatedWithItsInputItemsThenDeleted()
    {
        var client = OpenAISdk.Responses(Host);
        var question = Queries.Unique("What is 2 + 2?");
        var created = (await client.CreateResponseAsync("agentapi", question)).Value;

        var retrieved = (await client.GetResponseAsync(created.Id)).Value;
        var inputItems = new List<ResponseItem>();
        await foreach (var item in client.GetResponseInputItemsAsync(created.Id))
        {
            inputItems.Add(item);
        }

        var deleted = (await client.DeleteResponseAsync(created.Id)).Value;
        var afterDelete = Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(created.Id));
        var continued = Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync("agentapi", "And 3 + 3?", created.Id));

        var input = (MessageResponseItem)inputItems.Single();
        Assert.Multiple(() =>
        {
            Assert.That(retrieved.Id, Is.EqualTo(created.Id));
            Assert.That(retrieved.GetOutputText(), Is.EqualTo(created.GetOutputText()));
            Assert.That(retrieved.Status, Is.EqualTo(ResponseStatus.Completed));
            Assert.That(retrieved.Usage.TotalTokenCount, Is.EqualTo(created.Usage.TotalTokenCount));
            Assert.That(input.Role, Is.EqualTo(MessageRole.User));
            Assert.That(input.Content.Single().Text, Is.EqualTo(question));
            Assert.That(input.Id, Does.StartWith("msg_"));
            Assert.That(deleted.Deleted, Is.True);
            Assert.That(deleted.ResponseId, Is.EqualTo(created.Id));
            Assert.That(afterDelete!.Status, Is.EqualTo(404));
            Assert.That(continued!.Status, Is.EqualTo(400));
            Assert.That(continued.Message, Does.Contain("previous_response_not_found"));
        });
    }

    [Test]
    public async Task CreateResponse_StoreFalse_IsAnsweredButNotKept()
    {
        var client = OpenAISdk.Responses(Host);
        var options = new CreateResponseOptions("agentapi", [ResponseItem.CreateUserMessageItem(Queries.Unique("Do not keep this"))]) { StoredOutputEnabled = false };

        var created = (await client.CreateResponseAsync(options)).Value;
        var retrieve = Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(created.Id));

        Assert.Multiple(() =>
        {
            Assert.That(created.GetOutputText(), Does.StartWith("echo: "));
            Assert.That(retrieve!.Status, Is.EqualTo(404));
        });
    }

    private async Task<List<StreamingResponseUpdate>> StreamAsync(CreateResponseOptions options)
    {
        var updates = new List<StreamingResponseUpdate>();
        await foreach (var update in await OpenAISdk.Responses(Host).CreateResponseStreamingAsync(options))
        {
            updates.Add(update);
        }

        return updates;
    }

    /// <summary>The updates' types in order, a run of deltas as one.</summary>
    private static List<string> Collapsed(IEnumerable<StreamingResponseUpdate> updates)
    {
        var kinds = new List<string>();
        foreach (var name in updates.Select(update => update.GetType().Name))
        {
            if (kinds.Count == 0 || kinds[^1] != name || !name.Contains("Delta", StringComparison.Ordinal))
            {
                kinds.Add(name);
            }
        }

        return kinds;
    }

    /// <summary>The bodies the fake OpenAI server (Chat Completions) received, in order.</summary>
    private List<JsonElement> ExecutorRequests() =>
        [.. Host.OpenAI.Requests.Where(r => r.Method == "POST").Select(r => JsonDocument.Parse(r.Body).RootElement.Clone())];

    private static string? Header(System.ClientModel.Primitives.PipelineResponseHeaders headers, string name) =>
        headers.TryGetValue(name, out var value) ? value : null;

    private static string GeminiText(string body)
    {
        using var document = JsonDocument.Parse(body);
        var contents = document.RootElement.GetProperty("contents");
        return contents[contents.GetArrayLength() - 1].GetProperty("parts")[0].GetProperty("text").GetString()!;
    }
}
