namespace AgentApi.Core.Configuration;

/// <summary>A configuration value that cannot be used. The message names the setting, never its value, which may be a secret.</summary>
public sealed class InvalidSettingException(string setting, string problem)
    : Exception($"{setting} {problem}")
{
    /// <summary>The setting as the operator names it (see <see cref="ISettingNames"/>).</summary>
    public string Setting { get; } = setting;
}
