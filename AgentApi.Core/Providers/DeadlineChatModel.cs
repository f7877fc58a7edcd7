using System.Runtime.CompilerServices;

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

        using var deadlineSource = DeadlineSource(deadline);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadlineSource.Token);
        try
        {
            return await inner.CompleteAsync(request, linked.Token);
        }
        catch (OperationCanceledException ex) when (deadlineSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw DeadlinePassed(ex);
        }
    }

    /// <summary>The deadline covers the whole stream, not only its start: a stream still running when it passes ends in a timeout.</summary>
    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var deadlineSource = request.Deadline is { } deadline ? DeadlineSource(deadline) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadlineSource?.Token ?? CancellationToken.None);
        await using var updates = inner.StreamAsync(request, linked.Token).GetAsyncEnumerator(linked.Token);
        while (true)
        {
            bool more;
            try
            {
                more = await updates.MoveNextAsync();
            }
            catch (OperationCanceledException ex) when (deadlineSource is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
            {
                throw DeadlinePassed(ex);
            }

            if (!more)
            {
                break;
            }

            yield return updates.Current;
        }
    }

    private CancellationTokenSource DeadlineSource(DateTimeOffset deadline)
    {
        var remaining = deadline - timeProvider.GetUtcNow();
        return new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, timeProvider);
    }

    private ProviderException DeadlinePassed(OperationCanceledException ex) => new(
        ProviderFailure.Timeout,
        Info.Role,
        Info.Provider,
        $"No answer from the {Info.Role} by the request deadline. Try again, or ask a shorter question.",
        innerException: ex);
}
