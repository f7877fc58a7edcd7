using AgentApi.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Providers.Resilience;

/// <summary>Bounds that catch a typo (an extra zero, seconds for milliseconds) at start instead of stalling every failing call.</summary>
internal sealed class ResilienceOptionsValidator(ISettingNames names) : IValidateOptions<ResilienceOptions>
{
    private const int MaxRetryDelayMs = 10 * 60 * 1000;
    private const int MaxBreakSeconds = 24 * 3600;

    public ValidateOptionsResult Validate(string? name, ResilienceOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (options.MaxAttempts is < 1 or > 10)
        {
            result.AddError($"{NameOf(nameof(ResilienceOptions.MaxAttempts))} must be between 1 and 10.");
        }

        CheckRetryDelay(result, options.BaseDelay, nameof(ResilienceOptions.BaseDelayMilliseconds));
        CheckRetryDelay(result, options.MaxDelay, nameof(ResilienceOptions.MaxDelayMilliseconds));
        if (options.MaxDelay < options.BaseDelay)
        {
            result.AddError($"{NameOf(nameof(ResilienceOptions.BaseDelayMilliseconds))} must not be above {NameOf(nameof(ResilienceOptions.MaxDelayMilliseconds))}.");
        }

        if (!(options.BreakerFailureRatio is > 0 and <= 1))
        {
            result.AddError($"{NameOf(nameof(ResilienceOptions.BreakerFailureRatio))} must be greater than 0 and at most 1.");
        }

        if (options.BreakerMinimumCalls < 2)
        {
            result.AddError($"{NameOf(nameof(ResilienceOptions.BreakerMinimumCalls))} must be 2 or more.");
        }

        if (options.BreakerSamplingDuration < TimeSpan.FromSeconds(1) || options.BreakerSamplingDuration > TimeSpan.FromSeconds(MaxBreakSeconds))
        {
            result.AddError($"{NameOf(nameof(ResilienceOptions.BreakerSamplingSeconds))} must be from 1 to {MaxBreakSeconds} (one day).");
        }

        if (options.BreakDuration <= TimeSpan.Zero || options.BreakDuration > TimeSpan.FromSeconds(MaxBreakSeconds))
        {
            result.AddError($"{NameOf(nameof(ResilienceOptions.BreakDurationSeconds))} must be greater than 0 and at most {MaxBreakSeconds} (one day).");
        }

        return result.Build();
    }

    private void CheckRetryDelay(ValidateOptionsResultBuilder result, TimeSpan delay, string property)
    {
        if (delay < TimeSpan.Zero || delay > TimeSpan.FromMilliseconds(MaxRetryDelayMs))
        {
            result.AddError($"{NameOf(property)} must be from 0 to {MaxRetryDelayMs} (10 minutes).");
        }
    }

    private string NameOf(string property) => names.NameOf(ConfigurationPath.Combine(ResilienceOptions.Section, property));
}
