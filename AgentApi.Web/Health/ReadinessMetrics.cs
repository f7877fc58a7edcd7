using System.Diagnostics.Metrics;
using AgentApi.Core.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentApi.Web.Health;

/// <summary>
/// The readiness checks' verdicts as a gauge, <c>agentapi.readiness.status</c> per check (0 healthy, 1 degraded,
/// 2 unhealthy, as <c>agentapi.circuit.state</c> counts up towards trouble). The health check service runs the checks
/// every <see cref="Period"/> and hands the report here, so the gauge does not wait for a load balancer's probe.
/// </summary>
internal sealed class ReadinessMetrics : IHealthCheckPublisher
{
    /// <summary>How often the checks run for the gauge: as often as a typical readiness probe.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private HealthReport? _report;

    public ReadinessMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(new MeterOptions(AgentApiMetrics.MeterName) { Version = typeof(AgentApiMetrics).Assembly.GetName().Version?.ToString(3) });
        meter.CreateObservableGauge(
            "agentapi.readiness.status", Observe, unit: null,
            "Verdict of each /healthz/ready check, run every 5 s: 0 healthy, 1 degraded (still ready), 2 unhealthy (/healthz/ready answers 503).");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _report, report);
        return Task.CompletedTask;
    }

    private IEnumerable<Measurement<int>> Observe()
    {
        if (Volatile.Read(ref _report) is not { } report)
        {
            yield break;
        }

        foreach (var (check, entry) in report.Entries)
        {
            yield return new Measurement<int>(Value(entry.Status), new KeyValuePair<string, object?>("check", check));
        }
    }

    private static int Value(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => 0,
        HealthStatus.Degraded => 1,
        _ => 2,
    };
}
