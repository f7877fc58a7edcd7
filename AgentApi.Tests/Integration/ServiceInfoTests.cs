using System.Diagnostics;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>What the service says about itself: its uptime.</summary>
[TestFixture]
public sealed class ServiceInfoTests : HostedFixture
{
    [Test]
    public async Task GetHealth_FirstRequest_UptimeCountsFromTheProcessStart()
    {
        using var process = Process.GetCurrentProcess();
        var processAge = DateTime.Now - process.StartTime;
        Assume.That(processAge.TotalSeconds, Is.GreaterThan(2), "the process is old enough to tell its start from the first request");

        using var response = await Host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var uptime = (await AgentApiHost.JsonAsync(response)).GetProperty("uptimeSeconds").GetDouble();

        Assert.That(uptime, Is.EqualTo(processAge.TotalSeconds).Within(1.5), "the in-process app's process is the test's");
    }
}
