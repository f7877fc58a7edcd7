using AgentApi.Core.Configuration;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Hosting;

/// <summary>Bounds that catch a typo (bytes for MiB, an extra zero) at start rather than fill a disk.</summary>
internal sealed class LogOptionsValidator(ISettingNames names) : IValidateOptions<LogOptions>
{
    private const int MaxFileMegabytesLimit = 10 * 1024;
    private const int MaxArchivesLimit = 10_000;

    public ValidateOptionsResult Validate(string? name, LogOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (!options.TryGetLevel(out _))
        {
            result.AddError($"{NameOf(nameof(LogOptions.Level))} must be one of Trace, Debug, Information, Warning, Error, Critical, None.");
        }

        if (options.MaxFileMegabytes is < 1 or > MaxFileMegabytesLimit)
        {
            result.AddError($"{NameOf(nameof(LogOptions.MaxFileMegabytes))} must be from 1 to {MaxFileMegabytesLimit} (MiB per log file).");
        }

        if (options.MaxArchives is < 1 or > MaxArchivesLimit)
        {
            result.AddError($"{NameOf(nameof(LogOptions.MaxArchives))} must be from 1 to {MaxArchivesLimit} (archived files kept per format).");
        }

        return result.Build();
    }

    private string NameOf(string property) => names.NameOf(ConfigurationPath.Combine(LogOptions.Section, property));
}
