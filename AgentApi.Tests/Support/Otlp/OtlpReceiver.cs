using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;

namespace AgentApi.Tests.Support.Otlp;

/// <summary>
/// An OTLP/HTTP trace receiver, as a collector's: Kestrel on 127.0.0.1 (a free port) answering <c>POST /v1/traces</c>,
/// whose <c>application/x-protobuf</c> body (gzip or not) is an <c>ExportTraceServiceRequest</c> decoded with the classes
/// compiled from the official .proto files (Proto/README.md). Everything else is refused as a collector would refuse it.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    public const string TracesPath = "/v1/traces";
    private const string Protobuf = "application/x-protobuf";

    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly WebApplication _app;
    private int _exports;

    private OtlpReceiver(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base URL, as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> takes it: the exporter appends <c>/v1/traces</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Export requests accepted so far.</summary>
    public int Exports => Volatile.Read(ref _exports);

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = Environments.Production });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore().AddUntracedHosting();
        var app = builder.Build();
        OtlpReceiver? receiver = null;
        app.Run(context => receiver!.HandleAsync(context));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        receiver = new OtlpReceiver(app, new Uri($"http://127.0.0.1:{address.Port}"));
        return receiver;
    }

    /// <summary>
    /// The standard variables that send a host's traces here: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> with OTLP/HTTP, a batch every
    /// 100 ms (the SDK's default is 5 s) and a service name of its own.
    /// </summary>
    public void ExportTo(Dictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString();
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        settings["OTEL_SERVICE_NAME"] = "agentapi-tests";
    }

    /// <summary>The spans of trace <paramref name="traceId"/> once <paramref name="complete"/> holds for them (they arrive batch by batch).</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> TraceAsync(string traceId, Func<IReadOnlyList<ReceivedSpan>, bool> complete, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            List<ReceivedSpan> trace = [.. _spans.Where(span => span.TraceId == traceId)];
            if (complete(trace))
            {
                return trace;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Trace {traceId} was not complete within the time allowed; received: {string.Join(", ", trace)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The first span, of any trace, that <paramref name="match"/> picks, once it has arrived.</summary>
    public async Task<ReceivedSpan> SpanAsync(Func<ReceivedSpan, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            if (_spans.FirstOrDefault(match) is { } span)
            {
                return span;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No matching span arrived within the time allowed; received: {string.Join(", ", _spans)}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path != TracesPath || !HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (request.ContentType != Protobuf)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        using var body = new MemoryStream();
        await using (var source = request.Headers.ContentEncoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body)
        {
            await source.CopyToAsync(body, context.RequestAborted);
        }

        var export = ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray());
        foreach (var resourceSpans in export.ResourceSpans)
        {
            var resource = Values(resourceSpans.Resource.Attributes);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    _spans.Enqueue(new ReceivedSpan(
                        Hex(span.TraceId),
                        Hex(span.SpanId),
                        Hex(span.ParentSpanId),
                        span.Name,
                        span.Kind,
                        Time(span.StartTimeUnixNano),
                        Time(span.EndTimeUnixNano),
                        Values(span.Attributes),
                        [.. span.Events.Select(e => new ReceivedEvent(e.Name, Time(e.TimeUnixNano), Values(e.Attributes)))],
                        span.Status?.Code ?? OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode.Unset,
                        span.Status?.Message ?? string.Empty,
                        scopeSpans.Scope?.Name ?? string.Empty,
                        resource));
                }
            }
        }

        Interlocked.Increment(ref _exports);
        context.Response.ContentType = Protobuf;
        await context.Response.Body.WriteAsync(new ExportTraceServiceResponse().ToByteArray(), context.RequestAborted);
    }

    private static string Hex(ByteString id) => Convert.ToHexStringLower(id.Span);

    private static DateTime Time(ulong unixNano) => DateTime.UnixEpoch.AddTicks((long)(unixNano / 100));

    private static Dictionary<string, object?> Values(RepeatedField<KeyValue> attributes) =>
        attributes.ToDictionary(attribute => attribute.Key, attribute => Value(attribute.Value));

    private static object? Value(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue,
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
        AnyValue.ValueOneofCase.ArrayValue => value.ArrayValue.Values.Select(Value).ToArray(),
        AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToByteArray(),
        _ => null,
    };
}
