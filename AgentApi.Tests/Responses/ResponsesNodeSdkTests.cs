using System.Text.Json;
using AgentApi.Tests.OpenAICompatible;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Responses;

/// <summary>
/// The official <c>openai</c> npm client's <c>client.responses</c> (clients/openai-node/scenario.mjs) against
/// <c>/v1/responses</c>, with caller keys on; what reached the fake providers (Chat Completions and Gemini) is checked.
/// </summary>
[TestFixture]
public sealed class ResponsesNodeSdkTests : HostedFixture
{
    private static readonly string[] StreamedTypes =
    [
        "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta",
        "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
    ];

    private static readonly string[] CityAndCountry = ["city", "country"];

    protected override void Configure(Dictionary<string, string?> settings) => settings["AGENTAPI_API_KEYS"] = Callers.KeyA + "," + Callers.KeyB;

    [Test]
    public async Task Create_OneQuestion_AnsweredAsAStoredResponse()
    {
        var question = Queries.Unique("What is the capital of France?");

        var result = await RunAsync("responsesCreate", ("AGENTAPI_QUESTION", question));

        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("id").GetString(), Does.StartWith("resp_"));
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("completed"));
            Assert.That(result.GetProperty("answer").GetString(), Does.StartWith("echo: Focused: " + question));
            Assert.That(result.GetProperty("totalTokens").GetInt32(), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task Stream_StreamHelper_EventsInOrderNumberedFromZeroAndTheFinalResponseWhole()
    {
        var question = Queries.Unique("Tell me a story");

        var result = await RunAsync("responsesStream", ("AGENTAPI_QUESTION", question));

        var events = result.GetProperty("events").EnumerateArray().ToList();
        var types = events.Select(e => e.GetProperty("type").GetString()!).Where((type, i) => i == 0 || type != "response.output_text.delta" || events[i - 1].GetProperty("type").GetString() != type);
        var deltas = string.Concat(events.Select(e => e.GetProperty("delta").GetString()));
        Assert.Multiple(() =>
        {
            Assert.That(types, Is.EqualTo(StreamedTypes));
            Assert.That(events.Select(e => e.GetProperty("sequence").GetInt32()), Is.EqualTo(Enumerable.Range(0, events.Count)));
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("completed"));
            Assert.That(result.GetProperty("answer").GetString(), Is.EqualTo(deltas));
            Assert.That(deltas, Does.StartWith("echo: Focused: " + question));
        });
    }

    [Test]
    public async Task PreviousResponseId_ThreeTurns_FirstTurnsFactReachesTheExecutorOnTheThird()
    {
        var fact = Queries.Unique("My cat is called Marmalade.");

        var result = await RunAsync("responsesChain", ("AGENTAPI_FACT", fact));

        var third = JsonDocument.Parse(Host.OpenAI.Requests.Where(r => r.Method == "POST").ElementAt(2).Body).RootElement.GetProperty("messages");
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("ok").GetBoolean(), Is.True, result.ToString());
            Assert.That(result.GetProperty("previous").GetString(), Is.EqualTo(result.GetProperty("ids")[1].GetString()));
            Assert.That(third[1].GetProperty("content").GetString(), Is.EqualTo(fact), "the first turn's fact reached the executor on the third");
            Assert.That(third[3].GetProperty("content").GetString(), Is.EqualTo("I also like tea."));
            Assert.That(third.EnumerateArray().Last().GetProperty("content").GetString(), Does.StartWith("Focused: What is my cat called?"));
        });
    }

    [Test]
    public async Task FunctionCall_RoundTripOnPreviousResponseId_ExecutorGetsTheOutputAndAnswers()
    {
        Host.OpenAI.ToolArguments = _ => """{"city":"Paris"}""";

        var result = await RunAsync("responsesTools", ("AGENTAPI_QUESTION", Queries.Unique("What is the weather in Paris?")));

        var executor = Host.OpenAI.Requests.Where(r => r.Method == "POST").Select(r => JsonDocument.Parse(r.Body).RootElement.Clone()).ToList();
        var toolMessage = executor[^1].GetProperty("messages").EnumerateArray().Last();
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("ok").GetBoolean(), Is.True, result.ToString());
            Assert.That(result.GetProperty("toolName").GetString(), Is.EqualTo("get_weather"));
            Assert.That(result.GetProperty("toolArguments").GetString(), Is.EqualTo("""{"city":"Paris"}"""));
            Assert.That(result.GetProperty("answer").GetString(), Is.EqualTo("echo: It is 21 degrees and sunny in Paris."));
            Assert.That(toolMessage.GetProperty("tool_call_id").GetString(), Is.EqualTo(result.GetProperty("toolCallId").GetString()), "the call's id reached the executor intact");
            Assert.That(executor[0].GetProperty("tools")[0].GetProperty("function").GetProperty("strict").GetBoolean(), Is.True);
            Assert.That(Host.Gemini.CallCount, Is.EqualTo(1), "the output's turn made no orchestrator call");
        });
    }

    [Test]
    public async Task JsonSchema_ParseHelper_ParsesTheStructuredAnswer()
    {
        var result = await RunAsync("responsesJsonSchema", ("AGENTAPI_QUESTION", Queries.Unique("What is the capital of France?")));

        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("ok").GetBoolean(), Is.True, result.ToString());
            Assert.That(result.GetProperty("parsed").EnumerateObject().Select(p => p.Name), Is.EqualTo(CityAndCountry));
        });
    }

    [Test]
    public async Task Stored_RetrieveListDelete_GoneAfterDelete()
    {
        var question = Queries.Unique("What is 2 + 2?");

        var result = await RunAsync("responsesStored", ("AGENTAPI_QUESTION", question));

        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("ok").GetBoolean(), Is.True, result.ToString());
            Assert.That(result.GetProperty("retrievedId").GetString(), Is.EqualTo(result.GetProperty("id").GetString()));
            Assert.That(result.GetProperty("retrievedAnswer").GetString(), Does.StartWith("echo: Focused: " + question));
            Assert.That(result.GetProperty("inputItems").EnumerateArray().Select(item => item.GetString()), Is.EqualTo((string[])[question]));
            Assert.That(result.GetProperty("statusAfterDelete").GetInt32(), Is.EqualTo(404));
        });
    }

    [Test]
    public async Task Retrieve_AnotherCallersId_NotFound()
    {
        var created = await RunAsync("responsesCreate", ("AGENTAPI_QUESTION", Queries.Unique("Mine only")));

        var other = await OpenAINodeSdkTests.RunAsync(Host, "responsesRetrieve", Callers.KeyB, new Dictionary<string, string> { ["AGENTAPI_RESPONSE_ID"] = created.GetProperty("id").GetString()! });

        Assert.Multiple(() =>
        {
            Assert.That(other.GetProperty("ok").GetBoolean(), Is.False);
            Assert.That(other.GetProperty("status").GetInt32(), Is.EqualTo(404));
        });
    }

    private Task<JsonElement> RunAsync(string scenario, params (string Name, string Value)[] environment) =>
        OpenAINodeSdkTests.RunAsync(Host, scenario, Callers.KeyA, environment.ToDictionary(pair => pair.Name, pair => pair.Value));
}
