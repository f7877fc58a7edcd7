namespace AgentApi.Core.Configuration;

/// <summary>
/// Names a configuration key the way an operator sets it, so a start-up error or a
/// <c>missingSetting</c> tells them what to change. The host supplies the names (its environment
/// variables); Core and Infrastructure only know configuration keys such as <c>Ask:RequestTimeoutSeconds</c>.
/// </summary>
public interface ISettingNames
{
    /// <summary>The name to show for <paramref name="key"/>, a configuration key with <c>:</c> between sections.</summary>
    string NameOf(string key);
}
