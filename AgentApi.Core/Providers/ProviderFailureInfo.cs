namespace AgentApi.Core.Providers;

/// <summary>What one <see cref="ProviderFailure"/> means to everyone who reacts to it.</summary>
/// <param name="Status">The HTTP status a caller gets.</param>
/// <param name="ProblemType">The problem type's last segment (<c>provider-timeout</c>); Web adds the URN prefix.</param>
/// <param name="Title">The problem's title.</param>
/// <param name="Outcome">The <c>outcome</c> tag of the provider-call metric.</param>
/// <param name="FallbackReason">Why the ask went on without the orchestrator, when the orchestrator failed this way.</param>
/// <param name="Retryable">True when the same ask may succeed if sent again later.</param>
public sealed record ProviderFailureInfo(int Status, string ProblemType, string Title, string Outcome, string FallbackReason, bool Retryable);
