using AgentApi.Core.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace AgentApi.Web.Infrastructure;

/// <summary>
/// Metrics export: the OpenTelemetry SDK aggregates the <c>AgentApi</c> meter (and the runtime's)
/// and serves them to Prometheus at <c>/metrics</c>.
/// </summary>
internal static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceInfo.Name, serviceVersion: ServiceInfo.AssemblyVersion))
            .WithMetrics(metrics => metrics
                .AddMeter(AgentApiMetrics.MeterName, "System.Runtime")
                .AddPrometheusExporter(options =>
                {
                    // Each scrape sees the counters as they are; a cached response would hide the last asks.
                    options.ScrapeResponseCacheDurationMilliseconds = 0;
                    options.ScopeInfoEnabled = false;
                }));
        return services;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
