using AgentApi.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Caching;

internal sealed class CacheOptionsValidator(ISettingNames names) : IValidateOptions<CacheOptions>
{
    private const int MaxTtlSeconds = 365 * 24 * 3600;
    private const long MinBytes = 64 * 1024;

    public ValidateOptionsResult Validate(string? name, CacheOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (options.Ttl < TimeSpan.Zero || options.Ttl > TimeSpan.FromSeconds(MaxTtlSeconds))
        {
            result.AddError($"{NameOf(nameof(CacheOptions.TtlSeconds))} must be from 0 (no caching) to {MaxTtlSeconds} (365 days).");
        }

        if (options.MaxEntries <= 0)
        {
            result.AddError($"{NameOf(nameof(CacheOptions.MaxEntries))} must be greater than 0.");
        }

        if (options.MaxBytes < MinBytes)
        {
            result.AddError($"{NameOf(nameof(CacheOptions.MaxBytes))} must be at least {MinBytes} (64 KiB).");
        }

        return result.Build();
    }

    private string NameOf(string property) => names.NameOf(ConfigurationPath.Combine(CacheOptions.Section, property));
}
