using System.Diagnostics;
using System.Text.Json;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;

namespace AgentApi.Tests.Unit;

/// <summary>AgentApi's span helpers: nothing without a listener; with one, the GenAI attributes where samplers and tools read them.</summary>
[TestFixture]
[NonParallelizable]
public sealed class AgentApiActivityTests
{
    private static readonly Uri Server = new("https://api.openai.com:443/v1");
    private static readonly string[] Stop = ["stop"];

    [Test]
    public void StartModelCall_NoListener_ReturnsNullAndRecordsNothing()
    {
        var call = AgentApiActivity.StartModelCall("chat", "openai", ModelRole.Executor, "gpt-4o-mini", Server, new ChatRequest("hi"), streaming: false, captureContent: true);

        Assert.Multiple(() =>
        {
            Assert.That(AgentApiActivity.IsEnabled, Is.False);
            Assert.That(call, Is.Null);
            Assert.That(AgentApiActivity.StartStep(AgentApiActivity.Execute, "general"), Is.Null);
            Assert.DoesNotThrow(() => AgentApiActivity.RecordFallback("the model is down"));
        });
    }

    [Test]
    public void StartModelCall_Listened_SamplersSeeTheConventionsAttributesAtStart()
    {
        IEnumerable<KeyValuePair<string, object?>>? seen = null;
        using var listener = Listen(sample: options => seen = options.Tags);

        using var call = AgentApiActivity.StartModelCall("chat", "openai", ModelRole.Executor, "gpt-4o-mini", Server,
            new ChatRequest("hi", MaxOutputTokens: 100, Temperature: 0.5), streaming: true, captureContent: false);

        var atStart = seen!.ToDictionary(tag => tag.Key, tag => tag.Value);
        Assert.Multiple(() =>
        {
            Assert.That(call!.DisplayName, Is.EqualTo("chat gpt-4o-mini"));
            Assert.That(call.Kind, Is.EqualTo(ActivityKind.Client));
            Assert.That(atStart, Does.ContainKey("gen_ai.operation.name").WithValue("chat"));
            Assert.That(atStart, Does.ContainKey("gen_ai.provider.name").WithValue("openai"));
            Assert.That(atStart, Does.ContainKey("gen_ai.request.model").WithValue("gpt-4o-mini"));
            Assert.That(atStart, Does.ContainKey("server.address").WithValue("api.openai.com"));
            Assert.That(atStart, Does.ContainKey("server.port").WithValue(443));
            Assert.That(call.GetTagItem("gen_ai.request.max_tokens"), Is.EqualTo(100));
            Assert.That(call.GetTagItem("gen_ai.request.temperature"), Is.EqualTo(0.5));
            Assert.That(call.GetTagItem("gen_ai.request.stream"), Is.EqualTo(true));
            Assert.That(call.GetTagItem("gen_ai.input.messages"), Is.Null, "no content without the opt-in");
        });
    }

    [Test]
    public void RecordFallback_InsideAStep_TagsTheStepAndMarksTheMoment()
    {
        using var listener = Listen();
        using var step = AgentApiActivity.StartStep(AgentApiActivity.Execute, "general");

        AgentApiActivity.RecordFallback("upstream_error", "openai/gpt-4o", "openai/gpt-4o-mini");

        var marked = step!.Events.Single();
        Assert.Multiple(() =>
        {
            Assert.That(step.GetTagItem("agentapi.fallback_reason"), Is.EqualTo("upstream_error"));
            Assert.That(marked.Name, Is.EqualTo("agentapi.fallback"));
            Assert.That(marked.Tags, Does.Contain(new KeyValuePair<string, object?>("agentapi.reason", "upstream_error")));
            Assert.That(marked.Tags, Does.Contain(new KeyValuePair<string, object?>("agentapi.fallback.from", "openai/gpt-4o")));
            Assert.That(marked.Tags, Does.Contain(new KeyValuePair<string, object?>("agentapi.fallback.to", "openai/gpt-4o-mini")));
        });
    }

    [Test]
    public void RecordFailure_ProviderFailure_ErrorTypeIsItsOutcomeAndStatusItsSafeMessage()
    {
        using var listener = Listen();
        using var call = AgentApiActivity.StartModelCall("chat", "openai", ModelRole.Executor, "gpt-4o-mini", Server, new ChatRequest("hi"), streaming: false, captureContent: false);

        AgentApiActivity.RecordFailure(call, new ProviderException(ProviderFailure.Timeout, ModelRole.Executor, "openai", "The executor provider did not answer within 30 s."), attempts: 3);

        Assert.Multiple(() =>
        {
            Assert.That(call!.GetTagItem("error.type"), Is.EqualTo("timeout"));
            Assert.That(call.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(call.StatusDescription, Is.EqualTo("The executor provider did not answer within 30 s."));
            Assert.That(call.GetTagItem("agentapi.attempts"), Is.EqualTo(3));
        });
    }

    [Test]
    public void StartModelCall_CaptureOnWithAToolExchange_WritesTheConventionsParts()
    {
        using var listener = Listen();
        var request = new ChatRequest("What's the weather in Paris?", SystemInstruction: "Be brief.")
        {
            ToolTurns =
            [
                new ChatTurn(ChatRole.Assistant, string.Empty) { ToolCalls = [new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")] },
                new ChatTurn(ChatRole.Tool, "rainy, 14 °C") { ToolCallId = "call_1" },
            ],
        };

        using var call = AgentApiActivity.StartModelCall("chat", "openai", ModelRole.Executor, "gpt-4o-mini", Server, request, streaming: false, captureContent: true);
        AgentApiActivity.RecordCompletion(call, new ChatCompletion("Rainy, 14 °C.", "gpt-4o-mini-2024-07-18", new TokenUsage(30, 6), FinishReason.Stop), captureContent: true);

        using var input = JsonDocument.Parse((string)call!.GetTagItem("gen_ai.input.messages")!);
        using var output = JsonDocument.Parse((string)call.GetTagItem("gen_ai.output.messages")!);
        var turns = input.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(call.GetTagItem("gen_ai.system_instructions"), Is.EqualTo("[{\"type\":\"text\",\"content\":\"Be brief.\"}]"));
            Assert.That(turns.GetArrayLength(), Is.EqualTo(3));
            Assert.That(turns[0].GetProperty("role").GetString(), Is.EqualTo("user"));
            Assert.That(turns[1].GetProperty("parts")[0].GetProperty("type").GetString(), Is.EqualTo("tool_call"));
            Assert.That(turns[1].GetProperty("parts")[0].GetProperty("arguments").GetProperty("city").GetString(), Is.EqualTo("Paris"), "JSON arguments as an object");
            Assert.That(turns[2].GetProperty("role").GetString(), Is.EqualTo("tool"));
            Assert.That(turns[2].GetProperty("parts")[0].GetProperty("type").GetString(), Is.EqualTo("tool_call_response"));
            Assert.That(turns[2].GetProperty("parts")[0].GetProperty("id").GetString(), Is.EqualTo("call_1"));
            Assert.That(output.RootElement[0].GetProperty("parts")[0].GetProperty("content").GetString(), Is.EqualTo("Rainy, 14 °C."));
            Assert.That(output.RootElement[0].GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
            Assert.That(call.GetTagItem("gen_ai.response.finish_reasons"), Is.EqualTo(Stop));
        });
    }

    private static ActivityListener Listen(Action<ActivityCreationOptions<ActivityContext>>? sample = null)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AgentApiActivity.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
            {
                sample?.Invoke(options);
                return ActivitySamplingResult.AllDataAndRecorded;
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
