namespace AgentApi.Web.Hosting;

/// <summary>Where this process's settings come from: the <c>.env</c> file read, if any, and the directory relative paths resolve against.</summary>
/// <param name="RootDirectory">The directory a relative <c>LOG_DIR</c> resolves against.</param>
/// <param name="DotEnvPath">The <c>.env</c> file read, or null when there was none.</param>
/// <param name="Searched">The directories looked in for <c>.env</c>, for the start-up report when none was found.</param>
internal sealed record SettingsLocation(string RootDirectory, string? DotEnvPath, IReadOnlyList<string> Searched)
{
    /// <summary><paramref name="path"/> when absolute, otherwise resolved against <see cref="RootDirectory"/>.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, RootDirectory);
}
