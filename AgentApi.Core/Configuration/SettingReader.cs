using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Configuration;

namespace AgentApi.Core.Configuration;

/// <summary>
/// Reads flat environment-style settings and fails with a message that names the variable, so a
/// typo in deployment stops start-up with something an operator can act on. Messages never echo the
/// value: a key pasted into the wrong variable would end up in the start-up log.
/// </summary>
public static class SettingReader
{
    public static string? GetString(IConfiguration configuration, string name)
    {
        var value = configuration[name];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public static int GetInt32(IConfiguration configuration, string name, int defaultValue) =>
        GetNumber(configuration, name, defaultValue, NumberStyles.Integer, "a whole number");

    public static long GetInt64(IConfiguration configuration, string name, long defaultValue) =>
        GetNumber(configuration, name, defaultValue, NumberStyles.Integer, "a whole number");

    /// <summary>A finite number: <c>NaN</c> and <c>Infinity</c> parse as doubles but are no use as a setting.</summary>
    public static double GetDouble(IConfiguration configuration, string name, double defaultValue) =>
        GetNumber(configuration, name, defaultValue, NumberStyles.Float, "a finite number");

    /// <summary>A duration written as a number of seconds, fractions allowed.</summary>
    public static TimeSpan GetSeconds(IConfiguration configuration, string name, TimeSpan defaultValue) =>
        GetDuration(configuration, name, defaultValue, TimeSpan.TicksPerSecond);

    /// <summary>A duration written as a number of milliseconds, fractions allowed.</summary>
    public static TimeSpan GetMilliseconds(IConfiguration configuration, string name, TimeSpan defaultValue) =>
        GetDuration(configuration, name, defaultValue, TimeSpan.TicksPerMillisecond);

    /// <summary>
    /// Beyond what a <see cref="TimeSpan"/> holds, the value becomes <see cref="TimeSpan.MaxValue"/> (or
    /// <see cref="TimeSpan.MinValue"/>) rather than overflow here: the options validator then rejects it with
    /// the setting's allowed range.
    /// </summary>
    private static TimeSpan GetDuration(IConfiguration configuration, string name, TimeSpan defaultValue, long ticksPerUnit)
    {
        var ticks = GetDouble(configuration, name, (double)defaultValue.Ticks / ticksPerUnit) * ticksPerUnit;
        return ticks >= long.MaxValue ? TimeSpan.MaxValue
            : ticks <= long.MinValue ? TimeSpan.MinValue
            : TimeSpan.FromTicks((long)Math.Round(ticks));
    }

    private static T GetNumber<T>(IConfiguration configuration, string name, T defaultValue, NumberStyles styles, string expected)
        where T : INumber<T>
    {
        var raw = GetString(configuration, name);
        if (raw is null)
        {
            return defaultValue;
        }

        return T.TryParse(raw, styles, CultureInfo.InvariantCulture, out var value) && T.IsFinite(value)
            ? value
            : throw new InvalidSettingException(name, $"must be {expected}.");
    }
}
