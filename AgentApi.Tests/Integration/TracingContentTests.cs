using System.Net;
using System.Text.Json;
using AgentApi.Tests.Support;
using AgentApi.Tests.Support.Otlp;
using SpanKind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind;

namespace AgentApi.Tests.Integration;

/// <summary>Prompts and answers on the model-call spans once the operator opts in (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT).</summary>
[TestFixture]
public sealed class TracingContentTests
{
    private OtlpReceiver _receiver = null!;
    private AgentApiHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        _host = await AgentApiHost.StartAsync(settings =>
        {
            settings["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = new Uri(_receiver.Endpoint, OtlpReceiver.TracesPath).ToString();
            settings["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] = "http/protobuf";
            settings["OTEL_BSP_SCHEDULE_DELAY"] = "100";
            settings["OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"] = "true";
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Test]
    public async Task Ask_CaptureOn_ModelCallSpansCarryInstructionsMessagesAndAnswer()
    {
        var query = Queries.Unique("What is the capital of France?");
        const string requestId = "trace-content-1";

        using var response = await _host.AskAsync(new { query, context = "A geography quiz." }, requestId);
        var answer = (await AgentApiHost.JsonAsync(response)).GetProperty("answer").GetString();
        var server = await _receiver.SpanAsync(span => span.Kind == SpanKind.Server && Equals(span["agentapi.request_id"], requestId));
        var trace = await _receiver.TraceAsync(server.TraceId, spans => spans.Contains(server));

        var chat = trace.Single(span => span.Name == "chat gpt-4o-mini");
        var gemma = trace.Single(span => span.Name == "generate_content gemma-3-1b-it");
        using var input = JsonDocument.Parse((string)chat["gen_ai.input.messages"]!);
        using var output = JsonDocument.Parse((string)chat["gen_ai.output.messages"]!);
        using var instructions = JsonDocument.Parse((string)chat["gen_ai.system_instructions"]!);
        using var plannerInput = JsonDocument.Parse((string)gemma["gen_ai.input.messages"]!);
        var user = input.RootElement.EnumerateArray().Last();
        var reply = output.RootElement[0];
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(user.GetProperty("role").GetString(), Is.EqualTo("user"));
            Assert.That(user.GetProperty("parts")[0].GetProperty("type").GetString(), Is.EqualTo("text"));
            Assert.That(user.GetProperty("parts")[0].GetProperty("content").GetString(), Does.Contain(query), "the executor's message quotes the question");
            Assert.That(instructions.RootElement[0].GetProperty("type").GetString(), Is.EqualTo("text"));
            Assert.That(instructions.RootElement[0].GetProperty("content").GetString(), Is.Not.Empty, "the route's instructions");
            Assert.That(reply.GetProperty("role").GetString(), Is.EqualTo("assistant"));
            Assert.That(reply.GetProperty("parts")[0].GetProperty("content").GetString(), Is.EqualTo(answer));
            Assert.That(reply.GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
            Assert.That(plannerInput.RootElement.EnumerateArray().Last().GetProperty("parts")[0].GetProperty("content").GetString(), Does.Contain("A geography quiz."),
                "the orchestrator's prompt, context included");
            Assert.That(server.Attributes.Keys, Has.None.StartsWith("gen_ai."), "content is on the model calls only");
        });
    }
}
