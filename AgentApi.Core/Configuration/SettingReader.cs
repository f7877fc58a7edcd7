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

    public static double GetDouble(IConfiguration configuration, string name, double defaultValue) =>
        GetNumber(configuration, name, defaultValue, NumberStyles.Float, "a number");

    private static T GetNumber<T>(IConfiguration configuration, string name, T defaultValue, NumberStyles styles, string expected)
        where T : INumber<T>
    {
        var raw = GetString(configuration, name);
        if (raw is null)
        {
            return defaultValue;
        }

        return T.TryParse(raw, styles, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidSettingException(name, $"must be {expected}.");
    }
}
