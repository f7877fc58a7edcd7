namespace AgentApi.Core.Ask;

/// <summary>Answers a question: cache, orchestrator (with fallback), executor.</summary>
public interface IAskService
{
    /// <exception cref="Providers.ProviderException">The answer could not be produced; the failure says why.</exception>
    Task<AskResult> AskAsync(AskQuery query, CancellationToken cancellationToken);
}
