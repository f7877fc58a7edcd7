using AgentApi.Web.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class ServiceInfoTests
{
    [Test]
    public void Uptime_MadeAMinuteAfterTheProcessStarted_CountsFromTheProcessStart()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var service = new ServiceInfo(time, time.GetUtcNow() - TimeSpan.FromMinutes(1));

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.That(service.Uptime, Is.EqualTo(TimeSpan.FromSeconds(65)));
    }

    [Test]
    public void Uptime_ClockBehindTheProcessStart_IsZero()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

        var service = new ServiceInfo(time, time.GetUtcNow() + TimeSpan.FromSeconds(3));

        Assert.That(service.Uptime, Is.EqualTo(TimeSpan.Zero));
    }
}
