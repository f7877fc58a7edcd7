namespace AgentApi.Core.Configuration;

/// <summary>A configuration value that cannot be used. The message names the variable, never its secret value.</summary>
public sealed class InvalidSettingException(string variable, string problem)
    : Exception($"{variable} {problem}")
{
    public string Variable { get; } = variable;
}
