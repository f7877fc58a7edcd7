using AgentApi.Core.Configuration;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// Where traces go, from the standard OpenTelemetry variables (docs/tracing.md): exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> is set (and <c>OTEL_TRACES_EXPORTER</c>
/// is not <c>none</c>); otherwise no tracer provider is registered at all. The SDK reads the rest (<c>_HEADERS</c>,
/// <c>_TIMEOUT</c>, <c>OTEL_BSP_*</c>, <c>OTEL_SERVICE_NAME</c>, …) itself; this checks the endpoint and protocol at start,
/// as every other setting is, and applies the trace-specific ones, which the SDK's per-signal exporter does not read.
/// </summary>
internal sealed record TraceExport(Uri? Endpoint, string Protocol, bool SignalEndpoint)
{
    public static readonly TraceExport Off = new(Endpoint: null, Grpc, SignalEndpoint: false);

    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string TracesEndpointVariable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string TracesProtocolVariable = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
    public const string ExporterVariable = "OTEL_TRACES_EXPORTER";
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>True when traces are exported; false when no tracer provider is registered.</summary>
    public bool IsOn => Endpoint is not null;

    /// <summary>The export configured, or <see cref="Off"/>.</summary>
    /// <exception cref="InvalidSettingException">An endpoint that is not an absolute http(s) URL, or a protocol the exporter does not speak.</exception>
    public static TraceExport Read(IConfiguration configuration)
    {
        if (string.Equals(Value(configuration, ExporterVariable), "none", StringComparison.OrdinalIgnoreCase))
        {
            return Off;
        }

        var (endpointVariable, endpoint) = Value(configuration, TracesEndpointVariable) is { } traces
            ? (TracesEndpointVariable, traces)
            : (EndpointVariable, Value(configuration, EndpointVariable));
        if (endpoint is null)
        {
            return Off;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.UserInfo.Length > 0)
        {
            throw new InvalidSettingException(endpointVariable, "must be an absolute http or https URL without credentials, such as http://localhost:4317 (put credentials in OTEL_EXPORTER_OTLP_HEADERS).");
        }

        var (protocolVariable, protocol) = Value(configuration, TracesProtocolVariable) is { } tracesProtocol
            ? (TracesProtocolVariable, tracesProtocol)
            : (ProtocolVariable, Value(configuration, ProtocolVariable) ?? Grpc);
        return protocol is Grpc or HttpProtobuf
            ? new TraceExport(uri, protocol, endpointVariable == TracesEndpointVariable)
            : throw new InvalidSettingException(protocolVariable, $"must be {Grpc} or {HttpProtobuf}.");
    }

    /// <summary>For the start-up report: the protocol, where (without the path) and whether prompts and answers go too.</summary>
    public string Describe(bool captureContent) => Endpoint is null
        ? $"off (set {EndpointVariable} to export them)"
        : $"OTLP ({Protocol}) to {Endpoint.GetLeftPart(UriPartial.Authority)}, prompts and answers {(captureContent ? "recorded" : "not recorded")}";

    private static string? Value(IConfiguration configuration, string name) =>
        configuration[name] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
