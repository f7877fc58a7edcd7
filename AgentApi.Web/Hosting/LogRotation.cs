using NLog;
using NLog.Config;
using NLog.Targets;
using NLog.Targets.Wrappers;

namespace AgentApi.Web.Hosting;

/// <summary>
/// Where the log files go and when they rotate (<see cref="LogOptions"/>).
/// NLog's file target takes its size limit and archive count as plain numbers, not layouts, so they are set
/// on the targets <c>nlog.config</c> declares once it is loaded, before NLog starts writing.
/// </summary>
internal sealed record LogRotation(string Directory, int MaxFileMegabytes, int MaxArchives)
{
    public const string ConfigFileName = "nlog.config";

    /// <summary>Whether this process's log is set up, so a start-up failure can be written to it.</summary>
    public static bool Applied { get; private set; }

    public static LogRotation From(LogOptions options, SettingsLocation location) =>
        new(location.Resolve(options.Directory), options.MaxFileMegabytes, options.MaxArchives);

    /// <summary>Loads <c>nlog.config</c> from beside the binaries with these limits on its file targets and makes it NLog's configuration.</summary>
    public void Apply()
    {
        var configuration = new XmlLoggingConfiguration(Path.Combine(AppContext.BaseDirectory, ConfigFileName));
        foreach (var file in configuration.AllTargets.Select(Unwrap).OfType<FileTarget>().Distinct())
        {
            file.ArchiveAboveSize = MaxFileMegabytes * 1024L * 1024L;
            file.MaxArchiveFiles = MaxArchives;
        }

        LogManager.Configuration = configuration;
        Applied = true;
    }

    private static Target Unwrap(Target target) => target is WrapperTargetBase { WrappedTarget: { } inner } ? Unwrap(inner) : target;
}
