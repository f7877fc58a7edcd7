namespace AgentApi.Core.Providers;

/// <summary>
/// A layer around another model, in the spirit of Microsoft.Extensions.AI's <c>DelegatingChatClient</c>: passes
/// everything to the inner model unless overridden; a streamed call goes through the one relay loop with the
/// layer's <see cref="Observe"/>r.
/// </summary>
public abstract class DelegatingChatModel(IChatModel inner) : IChatModel
{
    protected IChatModel Inner { get; } = inner;

    public ChatModelInfo Info => Inner.Info;

    public CircuitState Circuit => Inner.Circuit;

    public IReadOnlyList<ModelCircuit> Circuits => Inner.Circuits;

    public virtual Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken) =>
        Inner.CompleteAsync(request, cancellationToken);

    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken) =>
        ChatStreams.RelayAsync(token => Inner.StreamAsync(request, token), Observe(request), cancellationToken);

    /// <summary>What this layer does to one streamed call of <paramref name="request"/>.</summary>
    protected virtual ChatStreamObserver Observe(ChatRequest request) => ChatStreamObserver.Passthrough;
}
