namespace AgentApi.Core.Configuration;

/// <summary>
/// Without a host that says otherwise, a key is named in the form the standard environment-variable
/// configuration source reads it: <c>Ask:RequestTimeoutSeconds</c> is <c>Ask__RequestTimeoutSeconds</c>.
/// </summary>
internal sealed class EnvironmentFormSettingNames : ISettingNames
{
    public static EnvironmentFormSettingNames Instance { get; } = new();

    public string NameOf(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
