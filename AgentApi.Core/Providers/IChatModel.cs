namespace AgentApi.Core.Providers;

/// <summary>
/// One language model behind one provider, as the ask pipeline sees it. Implementations live in
/// Infrastructure and own transport, authentication, retries and the provider's wire format.
/// </summary>
public interface IChatModel
{
    /// <summary>Who serves the model and whether it can be called; cheap, for health checks.</summary>
    ChatModelStatus Status { get; }

    /// <summary>
    /// Sends one prompt and returns the model's answer.
    /// </summary>
    /// <exception cref="ProviderException">The provider could not produce a usable answer.</exception>
    Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken);
}
