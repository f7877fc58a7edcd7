namespace AgentApi.Core.Providers;

/// <summary>
/// A provider could not produce a usable answer. <see cref="Exception.Message"/> is safe to show a
/// caller: it never carries keys or the provider's raw error text (that goes to <see cref="ProviderDetail"/>, for logs).
/// What the failure means for callers, metrics and fallback is in <see cref="ProviderFailures"/>.
/// </summary>
public sealed class ProviderException(
    ProviderFailure failure,
    string role,
    string provider,
    string message,
    string? providerDetail = null,
    TimeSpan? retryAfter = null,
    IReadOnlyList<string>? missingSettings = null,
    int? providerStatusCode = null,
    int attempts = 0,
    Exception? innerException = null)
    : Exception(message, innerException)
{
    public ProviderFailure Failure { get; } = failure;

    /// <summary>Orchestrator or executor.</summary>
    public string Role { get; } = role;

    public string Provider { get; } = provider;

    /// <summary>The provider's own error text, for logs only.</summary>
    public string? ProviderDetail { get; } = providerDetail;

    /// <summary>How long the caller should wait before trying again, when known.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The environment variables to set, one per entry, for <see cref="ProviderFailure.NotConfigured"/>; empty otherwise.</summary>
    public IReadOnlyList<string> MissingSettings { get; } = missingSettings ?? [];

    /// <summary>The HTTP status the provider answered with, when it answered.</summary>
    public int? ProviderStatusCode { get; } = providerStatusCode;

    /// <summary>HTTP attempts made before giving up; 0 when none was made.</summary>
    public int Attempts { get; } = attempts;

    /// <summary>The row of <see cref="ProviderFailures"/> for <see cref="Failure"/>.</summary>
    public ProviderFailureInfo Info => ProviderFailures.Of(Failure);
}
