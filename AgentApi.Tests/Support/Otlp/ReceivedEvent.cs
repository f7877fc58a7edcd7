namespace AgentApi.Tests.Support.Otlp;

/// <summary>A span event as <see cref="OtlpReceiver"/> decoded it.</summary>
public sealed record ReceivedEvent(string Name, DateTime Time, IReadOnlyDictionary<string, object?> Attributes)
{
    public object? this[string attribute] => Attributes.GetValueOrDefault(attribute);
}
