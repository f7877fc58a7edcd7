namespace AgentApi.Core.Ask;

/// <summary>Answers a question: cache, orchestrator (with fallback), executor.</summary>
public interface IAskService
{
    /// <exception cref="Providers.ProviderException">The answer could not be produced; the failure says why.</exception>
    Task<AskResult> AskAsync(AskQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The same ask, streamed: <see cref="AskStreamPlan"/>, then the executor's text as <see cref="AskStreamDelta"/>s while it
    /// writes, then <see cref="AskStreamDone"/>. Same cache rules as <see cref="AskAsync"/>: only a completed answer is stored,
    /// a hit (or an identical ask already in flight) is replayed as plan, one delta and done.
    /// </summary>
    /// <exception cref="Providers.ProviderException">The answer could not be produced, before or after the first delta.</exception>
    IAsyncEnumerable<AskStreamEvent> StreamAsync(AskQuery query, CancellationToken cancellationToken);
}
