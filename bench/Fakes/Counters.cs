namespace AgentApi.Bench.Fakes;

/// <summary>Calls answered per provider, read by the harness before and after each scenario.</summary>
internal sealed class Counters
{
    private readonly long[] _values = new long[Enum.GetValues<Counter>().Length];

    public void Increment(Counter counter) => Interlocked.Increment(ref _values[(int)counter]);

    public long Read(Counter counter) => Volatile.Read(ref _values[(int)counter]);
}
