using AgentApi.Core.Callers;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;
using AgentApi.Web.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

using AgentApi.Web.Hosting;
using AgentApi.Web.WarmUp;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// Metrics, traces and readiness in one place: the OpenTelemetry SDK aggregates the <c>AgentApi</c>
/// meter (and the runtime's) and serves them to Prometheus at <c>/metrics</c>; when an OTLP endpoint is
/// configured it also exports traces (<see cref="TraceExport"/>, docs/tracing.md); ASP.NET health
/// checks answer <c>/healthz/ready</c> and, run every few seconds, feed the readiness gauge. Why this exporter: docs/decisions/0003-metrics-through-opentelemetry-prometheus-exporter.md.
/// </summary>
internal static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";
    public const string ReadinessPath = "/healthz/ready";

    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        var traces = TraceExport.Read(configuration);
        services.AddSingleton(traces);
        services.AddSingleton<RequestMetrics>();
        var telemetry = services.AddOpenTelemetry()
            // AgentApi's name and version unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES say otherwise: the
            // variables' detector runs again after them, and the later value wins.
            .ConfigureResource(resource => resource
                .AddService(ServiceInfo.Name, serviceVersion: ServiceInfo.AssemblyVersion)
                .AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
                .AddMeter(AgentApiMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter(options =>
                {
                    // Each scrape sees the counters as they are; a cached response would hide the last asks.
                    options.ScrapeResponseCacheDurationMilliseconds = 0;
                    options.ScopeInfoEnabled = false;
                }));
        if (traces.IsOn)
        {
            // Without an endpoint nothing below is registered: no listener on any activity source, so AgentApi's spans are never created.
            telemetry.WithTracing(tracing => tracing
                .AddSource(AgentApiActivity.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(exporter => Apply(traces, exporter)));
            services.AddOptions<AspNetCoreTraceInstrumentationOptions>().Configure<WarmUpState>((options, warmUp) =>
            {
                options.Filter = context => IsTraced(context, warmUp);
                options.EnrichWithHttpResponse = RequestTrace.Enrich;
            });
        }

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

    /// <summary>Probes and scrapes come every few seconds and would drown the asks; the warm-up's asks are not callers'.</summary>
    private static bool IsTraced(HttpContext context, WarmUpState warmUp)
    {
        var path = context.Request.Path;
        return !path.StartsWithSegments("/healthz", StringComparison.Ordinal)
            && !path.Equals(MetricsPath, StringComparison.Ordinal)
            && !warmUp.IsWarmUpRequest(context);
    }

    /// <summary>The trace-specific variables, which the per-signal exporter leaves to the caller; the general ones the SDK reads itself.</summary>
    private static void Apply(TraceExport traces, OtlpExporterOptions exporter)
    {
        exporter.Protocol = traces.Protocol == TraceExport.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        if (traces.SignalEndpoint)
        {
            // A signal's own endpoint is the whole URL: nothing is appended to it.
            exporter.Endpoint = traces.Endpoint!;
        }
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
