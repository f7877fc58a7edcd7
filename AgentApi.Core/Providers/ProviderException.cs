namespace AgentApi.Core.Providers;

/// <summary>
/// A provider could not produce a usable answer. <see cref="Exception.Message"/> is safe to show a
/// caller: it never carries keys or the provider's raw error text (that goes to <see cref="ProviderDetail"/>, for logs).
/// </summary>
public sealed class ProviderException : Exception
{
    public ProviderException(
        ProviderFailure failure,
        string role,
        string provider,
        string message,
        string? providerDetail = null,
        TimeSpan? retryAfter = null,
        string? missingSetting = null,
        int? providerStatusCode = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        Role = role;
        Provider = provider;
        ProviderDetail = providerDetail;
        RetryAfter = retryAfter;
        MissingSetting = missingSetting;
        ProviderStatusCode = providerStatusCode;
    }

    public ProviderFailure Failure { get; }

    /// <summary>Orchestrator or executor.</summary>
    public string Role { get; }

    public string Provider { get; }

    /// <summary>The provider's own error text, for logs only.</summary>
    public string? ProviderDetail { get; }

    /// <summary>How long the caller should wait before trying again, when known.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The environment variable to set, for <see cref="ProviderFailure.NotConfigured"/>.</summary>
    public string? MissingSetting { get; }

    /// <summary>The HTTP status the provider answered with, when it answered.</summary>
    public int? ProviderStatusCode { get; }

    /// <summary>HTTP attempts made before giving up; set by the client that made them.</summary>
    public int Attempts { get; set; }
}
