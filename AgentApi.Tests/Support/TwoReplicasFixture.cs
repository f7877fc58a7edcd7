namespace AgentApi.Tests.Support;

/// <summary>
/// Two app replicas over one real <c>redis-server</c>, started once per fixture and reset before each test.
/// Ignored only when <c>redis-server</c> is not installed.
/// </summary>
public abstract class TwoReplicasFixture
{
    protected RedisServer Redis { get; private set; } = null!;

    protected AgentApiHost First { get; private set; } = null!;

    protected AgentApiHost Second { get; private set; } = null!;

    /// <summary>The settings of replica <paramref name="replica"/> (1 or 2); both must reach <see cref="Redis"/>.</summary>
    protected abstract void Configure(Dictionary<string, string?> settings, int replica);

    [OneTimeSetUp]
    public async Task StartReplicasAsync()
    {
        Redis = await RedisServer.StartAsync();
        First = await AgentApiHost.StartAsync(settings => Configure(settings, 1));
        Second = await AgentApiHost.StartAsync(settings => Configure(settings, 2));
    }

    [OneTimeTearDown]
    public async Task StopReplicasAsync()
    {
        // Null when redis-server is missing and the fixture was ignored before the hosts started.
        foreach (var host in new[] { Second, First })
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }

    [SetUp]
    public void ResetFakes()
    {
        First.ResetFakes();
        Second.ResetFakes();
    }
}
