using System.Net;
using System.Net.Http.Json;
using AgentApi.Core.Diagnostics;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Providers;
using AgentApi.Tests.Support;
using AgentApi.Tests.Support.Otlp;
using SpanKind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind;
using StatusCode = OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode;

namespace AgentApi.Tests.Integration;

/// <summary>An executor fallback in the trace: a call span per model asked, and the moment the step moved on (FallbackTests' routes).</summary>
[TestFixture]
public sealed class TracingFallbackTests
{
    private const string BackupKey = "test-backup-key";

    private OtlpReceiver _receiver = null!;
    private FakeOpenAIServer _backup = null!;
    private AgentApiHost _host = null!;
    private string _directory = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        _backup = await FakeOpenAIServer.StartAsync(BackupKey);
        _directory = Directory.CreateTempSubdirectory("agentapi-trace-fallbacks").FullName;
        var routes = Path.Combine(_directory, "routes.json");
        await File.WriteAllTextAsync(routes, FallbackTests.RoutesFile(_backup.BaseUrl));
        _host = await AgentApiHost.StartAsync(settings =>
        {
            settings["ROUTES_FILE"] = routes;
            settings["BACKUP_API_KEY"] = BackupKey;
            settings["RETRY_MAX_ATTEMPTS"] = "1";
            _receiver.ExportTo(settings);
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _backup.DisposeAsync();
        await _receiver.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Ask_PrimaryFails_ACallSpanPerModelAndTheFallbackBetweenThem()
    {
        _host.OpenAI.Enqueue(FakeOpenAIServer.ServerError());
        const string requestId = "trace-fallback-1";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = JsonContent.Create(new { query = Queries.Unique("Fall over") }) };
        request.Headers.Add("X-Request-ID", requestId);

        using var response = await _host.Client.SendAsync(request);
        var server = await _receiver.SpanAsync(span => span.Kind == SpanKind.Server && Equals(span["agentapi.request_id"], requestId));
        var trace = await _receiver.TraceAsync(server.TraceId, spans => spans.Contains(server));

        var execute = trace.Single(span => span.Name == AgentApiActivity.Execute && span.ParentSpanId == server.SpanId);
        var calls = trace.Where(span => span.ParentSpanId == execute.SpanId).OrderBy(span => span.Start).ToList();
        var fallback = execute.Events.Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(calls.Select(call => (call.Name, call["agentapi.provider"], call.Status)), Is.EqualTo(new[]
            {
                ("chat gpt-4o-mini", (object?)"openai", StatusCode.Error),
                ("chat gpt-4o-mini", "backup", StatusCode.Unset),
            }));
            Assert.That(calls[0]["error.type"], Is.EqualTo("upstream_error"));
            Assert.That(execute.Status, Is.EqualTo(StatusCode.Unset), "the step answered");
            Assert.That(execute["agentapi.fallback_reason"], Is.EqualTo("upstream_error"));
            Assert.That(fallback.Name, Is.EqualTo("agentapi.fallback"));
            Assert.That(fallback["agentapi.fallback.from"], Is.EqualTo("openai/gpt-4o-mini"));
            Assert.That(fallback["agentapi.fallback.to"], Is.EqualTo("backup/gpt-4o-mini"));
            Assert.That(fallback.Time, Is.InRange(calls[0].End, calls[1].Start));
        });
    }
}
