using AgentApi.Core.Configuration;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Callers;

internal sealed class CallerOptionsValidator(ISettingNames names) : IValidateOptions<CallerOptions>
{
    public ValidateOptionsResult Validate(string? name, CallerOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (options.MetricsRequireKey && options.IsOpen)
        {
            result.AddError($"{NameOf(nameof(CallerOptions.MetricsRequireKey))} needs caller keys: set {NameOf(nameof(CallerOptions.ApiKeys))} or {NameOf(nameof(CallerOptions.ApiKeysFile))}.");
        }

        if (options.RequestsPerMinute < 0)
        {
            result.AddError($"{NameOf(nameof(CallerOptions.RequestsPerMinute))} must be 0 (no limit) or more.");
        }

        if (options.Concurrency < 0)
        {
            result.AddError($"{NameOf(nameof(CallerOptions.Concurrency))} must be 0 (no limit) or more.");
        }

        if (options.TokenBudgetPerDay < 0)
        {
            result.AddError($"{NameOf(nameof(CallerOptions.TokenBudgetPerDay))} must be 0 (no limit) or more.");
        }

        if (!string.IsNullOrWhiteSpace(options.CacheScopeName) && options.CacheScope is null)
        {
            result.AddError($"{NameOf(nameof(CallerOptions.CacheScopeName))} must be 'caller' or 'global'.");
        }

        return result.Build();
    }

    private string NameOf(string property) => CallerServiceCollectionExtensions.NameOf(names, property);
}
