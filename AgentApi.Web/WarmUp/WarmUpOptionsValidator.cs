using AgentApi.Core.Configuration;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.WarmUp;

internal sealed class WarmUpOptionsValidator(ISettingNames names) : IValidateOptions<WarmUpOptions>
{
    public const int MaxAsks = 10_000;

    public ValidateOptionsResult Validate(string? name, WarmUpOptions options) =>
        options.Asks is >= 0 and <= MaxAsks
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{names.NameOf(ConfigurationPath.Combine(WarmUpOptions.Section, nameof(WarmUpOptions.Asks)))} must be a whole number from 0 (no warm-up) to {MaxAsks}.");
}
