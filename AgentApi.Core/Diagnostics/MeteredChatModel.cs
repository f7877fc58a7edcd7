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
            var outcome = ex switch
            {
                ProviderException provider => provider.Info.Outcome,
                OperationCanceledException => ProviderOutcome.Cancelled,
                _ => ProviderOutcome.Error,
            };
            metrics.RecordProviderCall(info.Role, info.Provider, model, outcome, timeProvider.GetElapsedTime(started));
            throw;
        }
    }
}
