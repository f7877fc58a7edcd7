namespace AgentApi.Core.Providers;

/// <summary>
/// One language model behind one provider, as the ask pipeline sees it. Implementations live in
/// Infrastructure and own transport, authentication, retries and the provider's wire format;
/// <see cref="ChatModelPipeline"/> wraps them with the deadline and metrics every call gets.
/// </summary>
public interface IChatModel
{
    /// <summary>Who serves the model and whether it is configured; computed once.</summary>
    ChatModelInfo Info { get; }

    /// <summary>The circuit breaker of <see cref="ChatModelInfo.Model"/> now; cheap, for health checks.</summary>
    CircuitState Circuit { get; }

    /// <summary>The circuit of every model this provider has called (and of <see cref="ChatModelInfo.Model"/>), for health and metrics.</summary>
    IReadOnlyList<ModelCircuit> Circuits { get; }

    /// <summary>Sends one prompt and returns the model's answer.</summary>
    /// <exception cref="ProviderException">The provider could not produce a usable answer, or <see cref="ChatRequest.Deadline"/> passed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Sends one prompt and yields the answer as it is written: text updates, then exactly one final update
    /// carrying the whole <see cref="ChatCompletion"/>. A stream that cannot end that way throws instead.
    /// Disposing the enumerator early abandons the provider call at once.
    /// </summary>
    /// <exception cref="ProviderException">Before or after the first update: the provider failed, the stream broke off or stalled, or <see cref="ChatRequest.Deadline"/> passed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken);
}
