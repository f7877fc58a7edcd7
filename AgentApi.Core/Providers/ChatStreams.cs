using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace AgentApi.Core.Providers;

/// <summary>Helpers for <see cref="IChatModel.StreamAsync"/>.</summary>
public static class ChatStreams
{
    /// <summary>
    /// The one loop every layer of a streamed call runs (the provider's translation, the deadline, the metrics): opens
    /// the stream with the token <see cref="ChatStreamObserver.OnStart"/> gives, passes each update through
    /// <see cref="ChatStreamObserver.OnUpdate"/>, throws what <see cref="ChatStreamObserver.OnFailure"/> makes of a
    /// failure, and calls <see cref="ChatStreamObserver.OnEnd"/> however the stream ends, the reader leaving included.
    /// </summary>
    public static async IAsyncEnumerable<ChatStreamUpdate> RelayAsync(
        Func<CancellationToken, IAsyncEnumerable<ChatStreamUpdate>> open,
        ChatStreamObserver observer,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(observer);
        var finished = false;
        try
        {
            var token = observer.OnStart(cancellationToken);
            await using var updates = open(token).GetAsyncEnumerator(token);
            while (true)
            {
                bool more;
                try
                {
                    more = await updates.MoveNextAsync();
                }
                catch (Exception ex)
                {
                    ExceptionDispatchInfo.Throw(observer.OnFailure(ex));
                    throw;
                }

                if (!more)
                {
                    finished = true;
                    break;
                }

                yield return observer.OnUpdate(updates.Current);
            }
        }
        finally
        {
            observer.OnEnd(finished);
        }
    }

    /// <summary>Hands every piece of the answer (text, tool call or refusal) to <paramref name="onPiece"/> and returns the final completion.</summary>
    /// <exception cref="ProviderException">The stream ended without its final update.</exception>
    public static async Task<ChatCompletion> CollectAsync(IAsyncEnumerable<ChatStreamUpdate> updates, Action<ChatStreamUpdate> onPiece, ChatModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(onPiece);
        ArgumentNullException.ThrowIfNull(model);
        await foreach (var update in updates.ConfigureAwait(false))
        {
            if (update.Completion is { } completion)
            {
                return completion;
            }

            if (update.HasPiece)
            {
                onPiece(update);
            }
        }

        throw new ProviderException(
            ProviderFailure.InvalidResponse,
            model.Role,
            model.Provider,
            $"The {model.Role} model's answer stream ended before it was complete. Try again.");
    }
}
