using System.Runtime.CompilerServices;
using AgentApi.Core.Providers;

namespace AgentApi.Core.Diagnostics;

/// <summary>
/// Records every call's duration and outcome, and the tokens and cost of a successful one, under the
/// model the call was sent to (a route's model, or the configured one).
/// </summary>
internal sealed class MeteredChatModel(IChatModel inner, AgentApiMetrics metrics, TimeProvider timeProvider) : IChatModel
{
    public ChatModelInfo Info => inner.Info;

    public CircuitState Circuit => inner.Circuit;

    public async Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var info = Info;
        var model = request.Model ?? info.Model;
        try
        {
            var completion = await inner.CompleteAsync(request, cancellationToken);
            metrics.RecordProviderCall(info.Role, info.Provider, model, ProviderOutcome.Success, timeProvider.GetElapsedTime(started));
            metrics.RecordUsage(info.Role, info.Provider, model, completion.Usage);
            return completion;
        }
        catch (Exception ex)
        {
            metrics.RecordProviderCall(info.Role, info.Provider, model, OutcomeOf(ex), timeProvider.GetElapsedTime(started));
            throw;
        }
    }

    /// <summary>
    /// The duration runs to the end of the stream; tokens and cost come from its final update (the provider's
    /// usage chunk). A stream the caller abandons counts as <see cref="ProviderOutcome.Cancelled"/>.
    /// </summary>
    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var info = Info;
        var model = request.Model ?? info.Model;
        var outcome = ProviderOutcome.Cancelled;
        ChatCompletion? completion = null;
        try
        {
            await using var updates = inner.StreamAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                bool more;
                try
                {
                    more = await updates.MoveNextAsync();
                }
                catch (Exception ex)
                {
                    outcome = OutcomeOf(ex);
                    throw;
                }

                if (!more)
                {
                    outcome = completion is null ? ProviderOutcome.Error : outcome;
                    break;
                }

                if (updates.Current.Completion is { } final)
                {
                    completion = final;
                    outcome = ProviderOutcome.Success;
                }

                yield return updates.Current;
            }
        }
        finally
        {
            metrics.RecordProviderCall(info.Role, info.Provider, model, outcome, timeProvider.GetElapsedTime(started));
            if (completion is not null)
            {
                metrics.RecordUsage(info.Role, info.Provider, model, completion.Usage);
            }
        }
    }

    private static string OutcomeOf(Exception exception) => exception switch
    {
        ProviderException provider => provider.Info.Outcome,
        OperationCanceledException => ProviderOutcome.Cancelled,
        _ => ProviderOutcome.Error,
    };
}
