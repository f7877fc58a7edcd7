using AgentApi.Core.Callers;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;
using AgentApi.Web.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

using AgentApi.Web.Hosting;
using AgentApi.Web.WarmUp;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// Metrics export and readiness in one place: the OpenTelemetry SDK aggregates the <c>AgentApi</c>
/// meter (and the runtime's) and serves them to Prometheus at <c>/metrics</c>; ASP.NET health
/// checks answer <c>/healthz/ready</c> and, run every few seconds, feed the readiness gauge. Why this exporter: docs/decisions/0003-metrics-through-opentelemetry-prometheus-exporter.md.
/// </summary>
internal static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";
    public const string ReadinessPath = "/healthz/ready";

    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddSingleton<RequestMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceInfo.Name, serviceVersion: ServiceInfo.AssemblyVersion))
            .WithMetrics(metrics => metrics
                .AddMeter(AgentApiMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter(options =>
                {
                    // Each scrape sees the counters as they are; a cached response would hide the last asks.
                    options.ScrapeResponseCacheDurationMilliseconds = 0;
                    options.ScopeInfoEnabled = false;
                }));

        // One readiness check per provider of each role: the configured ones named by role, as before the provider table
        // ("orchestrator", "executor"), the others by role and provider ("executor:anthropic").
        services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>, ProviderReadinessRegistrations>();
        services.AddHealthChecks()
            .AddCheck<CacheReadinessCheck>("cache")
            .AddCheck<LifetimeReadinessCheck>("lifetime")
            .AddCheck<WarmUpReadinessCheck>("warm-up");

        // The checks' verdicts and the log's volume as metrics too (docs/operating.md#alerts-and-dashboard watches both).
        services.AddSingleton<IHealthCheckPublisher, ReadinessMetrics>();
        services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Delay = TimeSpan.Zero;
            options.Period = ReadinessMetrics.Period;
        });
        services.AddSingleton<ILoggerProvider, LogEventMetrics>();
        return services;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        var scrape = app.MapPrometheusScrapingEndpoint(MetricsPath);
        if (app.Services.GetRequiredService<IOptions<CallerOptions>>().Value.MetricsRequireKey)
        {
            scrape.RequireAuthorization();
        }

        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { ResponseWriter = ReadinessResponse.WriteAsync });
        return app;
    }
}
