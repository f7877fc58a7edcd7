using System.Diagnostics.Metrics;
using AgentApi.Core.Caching;
using AgentApi.Core.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace AgentApi.Tests.Support;

/// <summary>A real <see cref="AgentApiMetrics"/> for unit tests, on a meter factory of its own.</summary>
public static class TestMetrics
{
    public static AgentApiMetrics Create() => Create(out _);

    /// <param name="meterFactory">The factory that owns the meter: a listener can pick this instance's instruments by <see cref="Meter.Scope"/>.</param>
    public static AgentApiMetrics Create(out IMeterFactory meterFactory)
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton(Mock.Of<IAnswerCache>());

        // Not disposed: the meter lives as long as the test run, like the metrics of a real host.
        var provider = services.BuildServiceProvider();
        meterFactory = provider.GetRequiredService<IMeterFactory>();
        return new AgentApiMetrics(meterFactory, Options.Create(new PricingOptions()), provider);
    }
}
