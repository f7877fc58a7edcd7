namespace AgentApi.Tests.Support;

/// <summary>
/// A fixture that shares one running app (and its fakes) across its tests, resetting the fakes'
/// scripts and counters before each test. Tests use unique queries, so the shared cache never
/// couples them.
/// </summary>
public abstract class HostedFixture
{
    protected AgentApiHost Host { get; private set; } = null!;

    /// <summary>Settings to change for this fixture's app.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    [OneTimeSetUp]
    public async Task StartHostAsync() => Host = await AgentApiHost.StartAsync(Configure);

    [OneTimeTearDown]
    public async Task StopHostAsync() => await Host.DisposeAsync();

    [SetUp]
    public void ResetFakes() => Host.ResetFakes();
}
