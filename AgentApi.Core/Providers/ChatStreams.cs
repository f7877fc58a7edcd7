namespace AgentApi.Core.Providers;

/// <summary>Helpers for <see cref="IChatModel.StreamAsync"/>.</summary>
internal static class ChatStreams
{
    /// <summary>Hands every piece of text to <paramref name="onDelta"/> and returns the final completion.</summary>
    /// <exception cref="ProviderException">The stream ended without its final update.</exception>
    public static async Task<ChatCompletion> CollectAsync(IAsyncEnumerable<ChatStreamUpdate> updates, Action<string> onDelta, ChatModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(onDelta);
        ArgumentNullException.ThrowIfNull(model);
        await foreach (var update in updates.ConfigureAwait(false))
        {
            if (update.Completion is { } completion)
            {
                return completion;
            }

            if (update.Text.Length > 0)
            {
                onDelta(update.Text);
            }
        }

        throw new ProviderException(
            ProviderFailure.InvalidResponse,
            model.Role,
            model.Provider,
            $"The {model.Role} model's answer stream ended before it was complete. Try again.");
    }
}
