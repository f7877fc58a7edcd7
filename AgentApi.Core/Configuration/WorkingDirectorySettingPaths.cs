namespace AgentApi.Core.Configuration;

/// <summary>Without a host that says otherwise, a relative path is resolved against the working directory.</summary>
internal sealed class WorkingDirectorySettingPaths : ISettingPaths
{
    public static WorkingDirectorySettingPaths Instance { get; } = new();

    public string BaseDirectory => Directory.GetCurrentDirectory();

    public string Resolve(string path) => Path.GetFullPath(path);
}
