using AgentApi.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Responses;

internal sealed class ResponseStoreOptionsValidator(ISettingNames names) : IValidateOptions<ResponseStoreOptions>
{
    /// <summary>OpenAI's own retention: longer would keep callers' conversations longer than the API they use promises.</summary>
    private const int MaxTtlSeconds = 30 * 24 * 3600;

    /// <summary>One large response (a 1 MiB request and its answer) must fit.</summary>
    private const long MinBytes = 4L * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, ResponseStoreOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (options.Ttl < TimeSpan.Zero || options.Ttl > TimeSpan.FromSeconds(MaxTtlSeconds))
        {
            result.AddError($"{NameOf(nameof(ResponseStoreOptions.TtlSeconds))} must be from 0 (responses are not stored) to {MaxTtlSeconds} (30 days).");
        }

        if (options.MaxBytes < MinBytes)
        {
            result.AddError($"{NameOf(nameof(ResponseStoreOptions.MaxBytes))} must be at least {MinBytes} (4 MiB).");
        }

        return result.Build();
    }

    private string NameOf(string property) => names.NameOf(ConfigurationPath.Combine(ResponseStoreOptions.Section, property));
}
