using AgentApi.Core.Providers;
using AgentApi.Core.Routing;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// Everything needed to call one provider for one role: where, how, with what key and headers, and how long an attempt
/// may take to start answering. <see cref="Model"/> is the model asked when a request names none.
/// </summary>
internal sealed record ProviderChannel(
    string Role,
    string Protocol,
    Uri BaseUrl,
    string? ApiKey,
    string Model,
    string? MissingSetting,
    TimeSpan AttemptTimeout)
{
    /// <summary>The provider's name: <c>openai</c> or <c>gemini</c> for today's settings (by role), or one of the routes file's table.</summary>
    public string Name { get; init; } = Role == ModelRole.Orchestrator ? BuiltInProviders.Orchestrator : BuiltInProviders.Executor;

    /// <summary>The setting that holds <see cref="ApiKey"/>, as the operator names it: what to check when the provider rejects the key.</summary>
    public string ApiKeySetting { get; init; } = "the API key";

    /// <summary>Extra headers the operator set for the provider (never a key).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>True when the operator opted in to prompts and answers on the model-call spans (<see cref="Core.Diagnostics.TracingOptions"/>).</summary>
    public bool CaptureMessageContent { get; init; }

    /// <summary>The key never reaches a log line, exception or record print-out.</summary>
    public override string ToString() => $"{Role} ({Name}: {Protocol} {Model} at {BaseUrl})";
}
