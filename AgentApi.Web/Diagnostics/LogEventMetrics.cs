using System.Diagnostics.Metrics;
using AgentApi.Core.Diagnostics;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// Counts log events by level (<c>agentapi.log.events</c>), as a logging provider beside NLog's: the level filters
/// (<c>LOG_LEVEL</c> and the per-category ones) apply to every provider alike, so it counts the events the log files get.
/// </summary>
internal sealed class LogEventMetrics : ILoggerProvider, ILogger
{
    private static readonly KeyValuePair<string, object?>[] LevelTags =
        [.. new[] { "trace", "debug", "information", "warning", "error", "critical" }.Select(level => new KeyValuePair<string, object?>("level", level))];

    private readonly Counter<long> _events;

    public LogEventMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(new MeterOptions(AgentApiMetrics.MeterName) { Version = typeof(AgentApiMetrics).Assembly.GetName().Version?.ToString(3) });
        _events = meter.CreateCounter<long>(
            "agentapi.log.events", "{event}", "Log events written, by level (trace, debug, information, warning, error, critical).");
    }

    public ILogger CreateLogger(string categoryName) => this;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if ((uint)logLevel < (uint)LevelTags.Length)
        {
            _events.Add(1, LevelTags[(int)logLevel]);
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public void Dispose()
    {
    }
}
