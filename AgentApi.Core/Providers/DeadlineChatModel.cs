namespace AgentApi.Core.Providers;

/// <summary>
/// Enforces <see cref="ChatRequest.Deadline"/>: the call is cancelled when it passes and ends in a
/// <see cref="ProviderFailure.Timeout"/>. The caller's own cancellation stays an <see cref="OperationCanceledException"/>,
/// so everything outside tells "too slow" from "nobody is waiting" without looking at the clock.
/// </summary>
internal sealed class DeadlineChatModel(IChatModel inner, TimeProvider timeProvider) : IChatModel
{
    public ChatModelInfo Info => inner.Info;

    public CircuitState Circuit => inner.Circuit;

    public async Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        if (request.Deadline is not { } deadline)
        {
            return await inner.CompleteAsync(request, cancellationToken);
        }

        var remaining = deadline - timeProvider.GetUtcNow();
        using var deadlineSource = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadlineSource.Token);
        try
        {
            return await inner.CompleteAsync(request, linked.Token);
        }
        catch (OperationCanceledException ex) when (deadlineSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(
                ProviderFailure.Timeout,
                Info.Role,
                Info.Provider,
                $"No answer from the {Info.Role} by the request deadline. Try again, or ask a shorter question.",
                innerException: ex);
        }
    }
}
