using AgentApi.Core.Ask;
using AgentApi.Core.Providers;

namespace AgentApi.Core.Diagnostics;

/// <summary>
/// Records every call's duration and outcome, and its tokens and cost, under the model the call was sent to (a
/// route's model, or the configured one), and adds the tokens to the ask's <see cref="ChatRequest.Meter"/>. A call
/// cut before the provider reported usage (the caller left, the stream broke off after some text) still spent tokens
/// at the provider: it is charged an estimate (<see cref="TokenEstimate.OfCall"/>). A call the provider refused or
/// failed before answering is charged nothing.
/// </summary>
internal sealed class MeteredChatModel(IChatModel inner, AgentApiMetrics metrics, TimeProvider timeProvider) : DelegatingChatModel(inner)
{
    private AgentApiMetrics Metrics { get; } = metrics;

    private TimeProvider Time { get; } = timeProvider;

    public override async Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var call = new Call(this, request);
        try
        {
            var completion = await Inner.CompleteAsync(request, cancellationToken);
            call.Completed(completion);
            return completion;
        }
        catch (Exception ex)
        {
            call.Failed(ex);
            throw;
        }
        finally
        {
            call.OnEnd(finished: false);
        }
    }

    /// <summary>The duration runs to the end of the stream; tokens come from its final update (the provider's usage chunk).</summary>
    protected override ChatStreamObserver Observe(ChatRequest request) => new Call(this, request) { Streamed = true };

    /// <summary>One call, buffered or streamed: what it wrote so far and how it ended.</summary>
    private sealed class Call(MeteredChatModel owner, ChatRequest request) : ChatStreamObserver
    {
        private static readonly string TimeoutOutcome = ProviderFailures.Of(ProviderFailure.Timeout).Outcome;

        private readonly long _started = StartCall(owner, request);

        /// <summary>True for a streamed call: what it wrote is seen as it comes; a buffered call's text is seen only at its end.</summary>
        public bool Streamed { get; init; }

        private static long StartCall(MeteredChatModel owner, ChatRequest request)
        {
            request.Meter?.CallStarted();
            return owner.Time.GetTimestamp();
        }
        private string _outcome = ProviderOutcome.Cancelled;
        private ChatCompletion? _completion;
        private long _outputCharacters;
        private bool _ended;

        public void Completed(ChatCompletion completion)
        {
            _completion = completion;
            _outcome = ProviderOutcome.Success;
        }

        public void Failed(Exception exception) => _outcome = exception switch
        {
            ProviderException provider => provider.Info.Outcome,
            OperationCanceledException => ProviderOutcome.Cancelled,
            _ => ProviderOutcome.Error,
        };

        public override ChatStreamUpdate OnUpdate(ChatStreamUpdate update)
        {
            if (update.Completion is { } final)
            {
                Completed(final);
            }
            else
            {
                _outputCharacters += update.PieceCharacters;
            }

            return update;
        }

        public override Exception OnFailure(Exception exception)
        {
            Failed(exception);
            return exception;
        }

        public override void OnEnd(bool finished)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            var info = owner.Info;
            var model = request.Model ?? info.Model;
            var origin = request.Meter?.Origin;
            if (finished && _completion is null)
            {
                // The stream ran out without its final update.
                _outcome = ProviderOutcome.Error;
            }

            owner.Metrics.RecordProviderCall(info.Role, info.Provider, model, _outcome, owner.Time.GetElapsedTime(_started), origin);

            // Reported usage when the call completed with it; an estimate when it was cut after the provider had the
            // prompt (the caller left, the deadline passed) or after it had written some text (the stream broke off), or
            // when a server sent no usage for an answer; nothing for a refusal. A buffered call cut while the provider
            // was writing may have been billed its whole answer, which was never seen: it is charged its output limit.
            var cut = _outcome == ProviderOutcome.Cancelled || _outcome == TimeoutOutcome;
            var (usage, estimated) = _completion switch
            {
                { Usage.Total: > 0 } completion => (completion.Usage, false),
                { } completion => (TokenEstimate.OfCall(request, completion.OutputCharacters), true),
                null when cut && !Streamed => (TokenEstimate.OfCall(request, 0) + new TokenUsage(0, request.MaxOutputTokens ?? 0), true),
                null when cut || _outputCharacters > 0 => (TokenEstimate.OfCall(request, _outputCharacters), true),
                _ => (TokenUsage.None, false),
            };
            if (usage.Total > 0)
            {
                owner.Metrics.RecordUsage(info.Role, info.Provider, model, usage, origin);
                request.Meter?.Record(info.Role, usage, estimated, model);
            }

            request.Meter?.CallEnded();
        }
    }
}
