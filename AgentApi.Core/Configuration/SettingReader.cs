using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace AgentApi.Core.Configuration;

/// <summary>
/// Reads flat environment-style settings and fails with a message that names the variable, so a
/// typo in deployment stops start-up with something an operator can act on.
/// </summary>
public static class SettingReader
{
    public static string? GetString(IConfiguration configuration, string name)
    {
        var value = configuration[name];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public static int GetInt32(IConfiguration configuration, string name, int defaultValue)
    {
        var raw = GetString(configuration, name);
        if (raw is null)
        {
            return defaultValue;
        }

        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidSettingException(name, $"must be a whole number, but is '{raw}'.");
    }

    public static double GetDouble(IConfiguration configuration, string name, double defaultValue)
    {
        var raw = GetString(configuration, name);
        if (raw is null)
        {
            return defaultValue;
        }

        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidSettingException(name, $"must be a number, but is '{raw}'.");
    }
}
