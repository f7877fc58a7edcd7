namespace AgentApi.Web.Hosting;

/// <summary>
/// Finds <c>.env</c> where a newcomer puts it: in the working directory, else in the nearest parent that
/// holds <c>AgentApi.sln</c>. <c>dotnet run --project AgentApi.Web</c> runs the app in <c>AgentApi.Web/</c>,
/// one level below the <c>.env</c> the README has you create; <c>dotnet AgentApi.Web.dll</c> in a publish
/// folder has it beside the binaries. The directory where it was found (or the repository root, or the
/// working directory) is also where every relative path in a setting points (<c>LOG_DIR</c>, <c>ROUTES_FILE</c>,
/// <c>AGENTAPI_API_KEYS_FILE</c>), so <c>logs/</c> and <c>routes.json</c> are beside the <c>.env</c> that names them.
/// </summary>
internal static class DotEnvLocator
{
    public const string FileName = ".env";
    public const string RepositoryMarker = "AgentApi.sln";

    public static SettingsLocation Locate(string workingDirectory)
    {
        var start = Path.GetFullPath(workingDirectory);
        var inWorkingDirectory = Path.Combine(start, FileName);
        if (File.Exists(inWorkingDirectory))
        {
            return new SettingsLocation(start, inWorkingDirectory, [start]);
        }

        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, RepositoryMarker)))
            {
                var atRoot = Path.Combine(directory.FullName, FileName);
                var searched = directory.FullName == start ? new[] { start } : [start, directory.FullName];
                return new SettingsLocation(directory.FullName, File.Exists(atRoot) ? atRoot : null, searched);
            }
        }

        return new SettingsLocation(start, null, [start]);
    }
}
