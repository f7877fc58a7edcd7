namespace AgentApi.Core.Configuration;

/// <summary>
/// Where a relative path in a setting (a routes file, a caller keys file) points. The host decides: AgentApi's
/// resolves it against the folder of the <c>.env</c> it read, as it does the log folder, so a path means the same
/// whichever folder the process was started in.
/// </summary>
public interface ISettingPaths
{
    /// <summary>The folder a relative path is resolved against.</summary>
    string BaseDirectory { get; }

    /// <summary><paramref name="path"/> when absolute, otherwise resolved against <see cref="BaseDirectory"/>.</summary>
    string Resolve(string path);
}
