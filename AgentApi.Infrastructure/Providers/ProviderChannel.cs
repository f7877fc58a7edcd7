namespace AgentApi.Infrastructure.Providers;

/// <summary>Everything needed to call the model of one role: where, how, with what key, and how long an attempt may take.</summary>
internal sealed record ProviderChannel(
    string Role,
    string Protocol,
    Uri BaseUrl,
    string? ApiKey,
    string Model,
    string? MissingSetting,
    TimeSpan AttemptTimeout)
{
    /// <summary>The key never reaches a log line, exception or record print-out.</summary>
    public override string ToString() => $"{Role} ({Protocol} {Model} at {BaseUrl})";
}
