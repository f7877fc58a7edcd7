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
    /// <param name="services">Built with <c>AddMetrics()</c>; an <see cref="IAnswerCache"/> stub is added when missing.</param>
    public static AgentApiMetrics Create(IServiceCollection? services = null)
    {
        services ??= new ServiceCollection();
        services.AddMetrics();
        if (!services.Any(s => s.ServiceType == typeof(IAnswerCache)))
        {
            services.AddSingleton(Mock.Of<IAnswerCache>());
        }

        // Not disposed: the meter lives as long as the test run, like the metrics of a real host.
        var provider = services.BuildServiceProvider();
        return new AgentApiMetrics(provider.GetRequiredService<IMeterFactory>(), Options.Create(new PricingOptions()), provider);
    }
}
