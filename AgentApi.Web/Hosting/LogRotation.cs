using AgentApi.Core.Configuration;
using NLog;
using NLog.Config;
using NLog.Targets;
using NLog.Targets.Wrappers;

namespace AgentApi.Web.Hosting;

/// <summary>
/// Where the log files go and when they rotate: <c>LOG_DIR</c>, <c>LOG_MAX_FILE_MB</c> and <c>LOG_MAX_ARCHIVES</c>.
/// NLog's file target takes its size limit and archive count as plain numbers, not layouts, so they are set
/// on the targets <c>nlog.config</c> declares once it is loaded, before NLog starts writing.
/// </summary>
internal sealed record LogRotation(string Directory, int MaxFileMegabytes, int MaxArchives)
{
    public const string ConfigFileName = "nlog.config";
    public const int DefaultMaxFileMegabytes = 10;
    public const int DefaultMaxArchives = 14;

    // Bounds that catch a typo (bytes for MiB, an extra zero) at start rather than fill a disk.
    private const int MaxFileMegabytesLimit = 10 * 1024;
    private const int MaxArchivesLimit = 10_000;
    private const string DefaultDirectory = "logs";

    public static LogRotation Read(IConfiguration configuration, SettingsLocation location)
    {
        var directory = location.Resolve(SettingReader.GetString(configuration, EnvironmentVariables.LogDir) ?? DefaultDirectory);
        var size = SettingReader.GetInt32(configuration, EnvironmentVariables.LogMaxFileMb, DefaultMaxFileMegabytes);
        if (size is < 1 or > MaxFileMegabytesLimit)
        {
            throw new InvalidSettingException(EnvironmentVariables.LogMaxFileMb, $"must be from 1 to {MaxFileMegabytesLimit} (MiB per log file).");
        }

        var archives = SettingReader.GetInt32(configuration, EnvironmentVariables.LogMaxArchives, DefaultMaxArchives);
        if (archives is < 1 or > MaxArchivesLimit)
        {
            throw new InvalidSettingException(EnvironmentVariables.LogMaxArchives, $"must be from 1 to {MaxArchivesLimit} (archived files kept per format).");
        }

        return new LogRotation(directory, size, archives);
    }

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
    }

    private static Target Unwrap(Target target) => target is WrapperTargetBase { WrappedTarget: { } inner } ? Unwrap(inner) : target;
}
