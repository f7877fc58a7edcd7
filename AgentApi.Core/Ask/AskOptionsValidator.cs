using AgentApi.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Ask;

/// <summary>Bounds that catch a typo (an extra zero, milliseconds for seconds) at start, not on every ask.</summary>
internal sealed class AskOptionsValidator(ISettingNames names) : IValidateOptions<AskOptions>
{
    // CancellationTokenSource cannot wait past about 49.7 days, so a larger deadline failed every ask.
    private const int MaxTimeoutSeconds = 3600;

    // More than a 1 MiB request can carry.
    private const int MaxHistoryChars = 1_000_000;

    public ValidateOptionsResult Validate(string? name, AskOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        CheckTimeout(result, options.RequestTimeout, nameof(AskOptions.RequestTimeoutSeconds));
        CheckTimeout(result, options.OrchestratorAttemptTimeout, nameof(AskOptions.OrchestratorAttemptTimeoutSeconds));
        CheckTimeout(result, options.ExecutorAttemptTimeout, nameof(AskOptions.ExecutorAttemptTimeoutSeconds));
        CheckHistory(result, options.OrchestratorHistoryChars, nameof(AskOptions.OrchestratorHistoryChars));
        CheckHistory(result, options.ExecutorHistoryChars, nameof(AskOptions.ExecutorHistoryChars));
        return result.Build();
    }

    private void CheckHistory(ValidateOptionsResultBuilder result, int chars, string property)
    {
        if (chars is < 0 or > MaxHistoryChars)
        {
            result.AddError($"{names.NameOf(ConfigurationPath.Combine(AskOptions.Section, property))} must be from 0 (no earlier turns) to {MaxHistoryChars}.");
        }
    }

    private void CheckTimeout(ValidateOptionsResultBuilder result, TimeSpan timeout, string property)
    {
        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromSeconds(MaxTimeoutSeconds))
        {
            result.AddError($"{names.NameOf(ConfigurationPath.Combine(AskOptions.Section, property))} must be greater than 0 and at most {MaxTimeoutSeconds} (one hour).");
        }
    }
}
