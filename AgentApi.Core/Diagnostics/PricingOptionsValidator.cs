using AgentApi.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Diagnostics;

internal sealed class PricingOptionsValidator(ISettingNames names) : IValidateOptions<PricingOptions>
{
    public ValidateOptionsResult Validate(string? name, PricingOptions options)
    {
        if (options.Table is null)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            PriceTable.Parse(options.Table, names.NameOf(ConfigurationPath.Combine(PricingOptions.Section, nameof(PricingOptions.Table))));
            return ValidateOptionsResult.Success;
        }
        catch (InvalidSettingException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
