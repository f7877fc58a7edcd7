using AgentApi.Core.Configuration;

namespace AgentApi.Web.Hosting;

/// <summary>
/// Where this process's settings come from: the <c>.env</c> file read, if any, and the directory every relative path
/// in a setting (<c>LOG_DIR</c>, <c>ROUTES_FILE</c>, <c>AGENTAPI_API_KEYS_FILE</c>) resolves against.
/// </summary>
/// <param name="RootDirectory">The directory relative paths resolve against: the one holding the <c>.env</c> read.</param>
/// <param name="DotEnvPath">The <c>.env</c> file read, or null when there was none.</param>
/// <param name="Searched">The directories looked in for <c>.env</c>, for the start-up report when none was found.</param>
internal sealed record SettingsLocation(string RootDirectory, string? DotEnvPath, IReadOnlyList<string> Searched) : ISettingPaths
{
    string ISettingPaths.BaseDirectory => RootDirectory;

    /// <summary><paramref name="path"/> when absolute, otherwise resolved against <see cref="RootDirectory"/>.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, RootDirectory);
}
