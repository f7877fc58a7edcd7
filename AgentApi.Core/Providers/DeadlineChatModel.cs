namespace AgentApi.Core.Providers;

/// <summary>
/// Enforces <see cref="ChatRequest.Deadline"/>: the call is cancelled when it passes and ends in a
/// <see cref="ProviderFailure.Timeout"/>. The caller's own cancellation stays an <see cref="OperationCanceledException"/>,
/// so everything outside tells "too slow" from "nobody is waiting" without looking at the clock.
/// The deadline covers the whole stream, not only its start: a stream still running when it passes ends in a timeout.
/// </summary>
internal sealed class DeadlineChatModel(IChatModel inner, TimeProvider timeProvider) : DelegatingChatModel(inner)
{
    public override async Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        if (request.Deadline is not { } deadline)
        {
            return await Inner.CompleteAsync(request, cancellationToken);
        }

        using var deadlineSource = DeadlineSource(deadline);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadlineSource.Token);
        try
        {
            return await Inner.CompleteAsync(request, linked.Token);
        }
        catch (OperationCanceledException ex) when (deadlineSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw DeadlinePassed(ex);
        }
    }

    protected override ChatStreamObserver Observe(ChatRequest request) =>
        request.Deadline is { } deadline ? new Observer(this, deadline) : ChatStreamObserver.Passthrough;

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

    private sealed class Observer(DeadlineChatModel model, DateTimeOffset deadline) : ChatStreamObserver
    {
        private CancellationTokenSource? _deadline;
        private CancellationTokenSource? _linked;
        private CancellationToken _caller;

        public override CancellationToken OnStart(CancellationToken cancellationToken)
        {
            _caller = cancellationToken;
            _deadline = model.DeadlineSource(deadline);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token);
            return _linked.Token;
        }

        public override Exception OnFailure(Exception exception) =>
            exception is OperationCanceledException cancelled && _deadline is { IsCancellationRequested: true } && !_caller.IsCancellationRequested
                ? model.DeadlinePassed(cancelled)
                : exception;

        public override void OnEnd(bool finished)
        {
            _linked?.Dispose();
            _deadline?.Dispose();
        }
    }
}
