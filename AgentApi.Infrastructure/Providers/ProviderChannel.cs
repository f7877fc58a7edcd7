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
    /// <summary>The setting that holds <see cref="ApiKey"/>, as the operator names it: what to check when the provider rejects the key.</summary>
    public string ApiKeySetting { get; init; } = "the API key";

    /// <summary>True when the operator opted in to prompts and answers on the model-call spans (<see cref="Core.Diagnostics.TracingOptions"/>).</summary>
    public bool CaptureMessageContent { get; init; }

    /// <summary>The key never reaches a log line, exception or record print-out.</summary>
    public override string ToString() => $"{Role} ({Protocol} {Model} at {BaseUrl})";
}
