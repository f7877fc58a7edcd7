using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentApi.Core.Diagnostics;

namespace AgentApi.Web.Diagnostics;

/// <summary>The HTTP request duration metric, on the same <c>AgentApi</c> meter as the ask's metrics.</summary>
internal sealed class RequestMetrics
{
    private static readonly object[] StatusCodes = [.. Enumerable.Range(0, 600).Select(code => (object)code)];

    private readonly Histogram<double> _duration;

    public RequestMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(new MeterOptions(AgentApiMetrics.MeterName) { Version = typeof(AgentApiMetrics).Assembly.GetName().Version?.ToString(3) });
        _duration = meter.CreateHistogram<double>(
            "agentapi.request.duration", "s", "HTTP request duration by route template and status code.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = AgentApiMetrics.DurationBuckets });
    }

    /// <summary>One HTTP request; <paramref name="route"/> is the endpoint's route template, never the raw path.</summary>
    public void Record(string route, int statusCode, TimeSpan duration, string? origin)
    {
        var tags = new TagList
        {
            { "route", route },
            { "status", (uint)statusCode < StatusCodes.Length ? StatusCodes[statusCode] : statusCode },
        };
        AgentApiMetrics.AddOrigin(ref tags, origin);
        _duration.Record(duration.TotalSeconds, tags);
    }
}
