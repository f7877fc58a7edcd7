using System.Net;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace AgentApi.Tests.Integration;

/// <summary>Without an OTLP endpoint: no tracer at all, yet the request's trace ID still joins its log lines and its problems.</summary>
[TestFixture]
public sealed class TracingOffTests : HostedFixture
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["LOG_LEVEL"] = "Information";

    [Test]
    public void Host_NoEndpoint_RegistersNoTracerProvider()
    {
        Assert.That(Host.Services.GetService<TracerProvider>(), Is.Null);
    }

    [Test]
    public async Task Ask_NoEndpointProviderFails_ProblemAndLogLinesShareTheCallersTraceId()
    {
        Host.OpenAI.Enqueue(FakeOpenAIServer.ServerError(), FakeOpenAIServer.ServerError(), FakeOpenAIServer.ServerError());
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        const string requestId = "trace-off-1";
        const string body = "{\"query\":\"Will this fail untraced?\"}";

        var response = await RawHttp.SendAsync(Host.BaseUrl,
            $"POST /api/ask HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Request-ID: {requestId}\r\ntraceparent: 00-{traceId}-00f067aa0ba902b7-01", body);
        await LogFiles.SettledAsync(Host.LogDirectory);

        var events = LogFiles.JsonEventsOf(Host.LogDirectory, requestId);
        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo((int)HttpStatusCode.BadGateway));
            Assert.That(response.Body, Does.Contain($"\"traceId\":\"{traceId}\""));
            Assert.That(events, Is.Not.Empty);
            Assert.That(events.Select(e => e.GetProperty("traceId").GetString()), Has.All.EqualTo(traceId));
            Assert.That(Host.OpenAI.Requests.Select(r => r.Headers["traceparent"]), Has.All.StartWith($"00-{traceId}-"), "the providers are sent the caller's trace");
        });
    }
}
