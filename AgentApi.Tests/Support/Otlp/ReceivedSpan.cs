using OpenTelemetry.Proto.Trace.V1;

namespace AgentApi.Tests.Support.Otlp;

/// <summary>A span as <see cref="OtlpReceiver"/> decoded it: IDs in lower-case hex (empty for no parent), attribute values as .NET values.</summary>
public sealed record ReceivedSpan(
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    Span.Types.SpanKind Kind,
    DateTime Start,
    DateTime End,
    IReadOnlyDictionary<string, object?> Attributes,
    IReadOnlyList<ReceivedEvent> Events,
    Status.Types.StatusCode Status,
    string StatusMessage,
    string Scope,
    IReadOnlyDictionary<string, object?> Resource)
{
    public object? this[string attribute] => Attributes.GetValueOrDefault(attribute);

    public override string ToString() => $"{Name} ({Kind}, {SpanId} <- {(ParentSpanId.Length == 0 ? "root" : ParentSpanId)})";
}
