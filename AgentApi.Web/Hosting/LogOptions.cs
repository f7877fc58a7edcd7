namespace AgentApi.Web.Hosting;

/// <summary>Logging settings the host reads before it builds, bound from the <c>Log</c> section.</summary>
internal sealed class LogOptions
{
    public const string Section = "Log";

    /// <summary>The minimum level, a <see cref="LogLevel"/> name in any case.</summary>
    public string Level { get; set; } = nameof(LogLevel.Information);

    /// <summary>Directory of the rotating log files, created at start.</summary>
    public string Directory { get; set; } = "logs";

    /// <summary>Size at which a log file is archived, in MiB.</summary>
    public int MaxFileMegabytes { get; set; } = 10;

    /// <summary>Archived files kept per format.</summary>
    public int MaxArchives { get; set; } = 14;

    public bool TryGetLevel(out LogLevel level) => Enum.TryParse(Level, ignoreCase: true, out level);
}
