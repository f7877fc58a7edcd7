namespace AgentApi.Tests.Fakes;

/// <summary>What a <see cref="FakeResponse"/> makes the fake server do.</summary>
internal enum FakeResponseKind
{
    Default,
    Content,
    Hang,
    Reset,
    Delayed,
    Stall,
    Streamed,
    EventStream,
    Generating,
}
