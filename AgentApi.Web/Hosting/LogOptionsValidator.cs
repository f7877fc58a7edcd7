using AgentApi.Core.Configuration;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Hosting;

internal sealed class LogOptionsValidator(ISettingNames names) : IValidateOptions<LogOptions>
{
    public ValidateOptionsResult Validate(string? name, LogOptions options) =>
        options.TryGetLevel(out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{names.NameOf(ConfigurationPath.Combine(LogOptions.Section, nameof(LogOptions.Level)))} must be one of Trace, Debug, Information, Warning, Error, Critical, None.");
}
