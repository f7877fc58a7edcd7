namespace AgentApi.Core.Configuration;

/// <summary>Durations that configuration writes as numbers of seconds or milliseconds, fractions allowed.</summary>
public static class Durations
{
    /// <summary><paramref name="seconds"/> as a duration; see <see cref="FromUnits"/> for values out of range.</summary>
    public static TimeSpan FromSeconds(double seconds) => FromUnits(seconds, TimeSpan.TicksPerSecond);

    /// <summary><paramref name="milliseconds"/> as a duration; see <see cref="FromUnits"/> for values out of range.</summary>
    public static TimeSpan FromMilliseconds(double milliseconds) => FromUnits(milliseconds, TimeSpan.TicksPerMillisecond);

    /// <summary>
    /// Rounded to the nearest tick. Beyond what a <see cref="TimeSpan"/> holds the result is
    /// <see cref="TimeSpan.MaxValue"/> (or <see cref="TimeSpan.MinValue"/>, also for NaN) rather than an
    /// overflow, so the options validator rejects it with the setting's allowed range.
    /// </summary>
    public static TimeSpan FromUnits(double value, long ticksPerUnit)
    {
        var ticks = value * ticksPerUnit;
        return ticks >= long.MaxValue ? TimeSpan.MaxValue
            : double.IsNaN(ticks) || ticks <= long.MinValue ? TimeSpan.MinValue
            : TimeSpan.FromTicks((long)Math.Round(ticks));
    }
}
