using AgentApi.Core.Configuration;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Ask;

internal sealed class AskStreamOptionsValidator(ISettingNames names) : IValidateOptions<AskStreamOptions>
{
    public ValidateOptionsResult Validate(string? name, AskStreamOptions options) =>
        options.HeartbeatInterval > TimeSpan.Zero && options.HeartbeatInterval <= TimeSpan.FromHours(1)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{names.NameOf(ConfigurationPath.Combine(AskStreamOptions.Section, nameof(AskStreamOptions.HeartbeatSeconds)))} must be greater than 0 and at most 3600 (one hour).");
}
