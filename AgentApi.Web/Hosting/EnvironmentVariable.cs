using System.Globalization;
using AgentApi.Core.Configuration;

namespace AgentApi.Web.Hosting;

/// <summary>An environment variable AgentApi reads, and the configuration key it sets.</summary>
internal sealed record EnvironmentVariable(string Name, string Key, ValueFormat Format = ValueFormat.Text)
{
    /// <summary>
    /// The variable's value from <paramref name="configuration"/>, trimmed and written invariantly; null when
    /// unset or blank. A malformed number fails naming the variable, never echoing the value: a key pasted
    /// into the wrong variable would otherwise end up in the start-up log.
    /// </summary>
    public string? Read(IConfiguration configuration)
    {
        var raw = configuration[Name];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        raw = raw.Trim();
        return Format switch
        {
            ValueFormat.WholeNumber => int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? number.ToString(CultureInfo.InvariantCulture)
                : throw new InvalidSettingException(Name, "must be a whole number."),
            ValueFormat.Number => double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value.ToString("R", CultureInfo.InvariantCulture)
                : throw new InvalidSettingException(Name, "must be a finite number."),
            ValueFormat.Boolean => raw.ToLowerInvariant() switch
            {
                "true" or "1" or "yes" => "true",
                "false" or "0" or "no" => "false",
                _ => throw new InvalidSettingException(Name, "must be true or false."),
            },
            _ => raw,
        };
    }

    /// <summary>Whether the variable has a value, without reading it as its format.</summary>
    public bool IsSet(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[Name]);
}
