using AgentApi.Core.Providers;

namespace AgentApi.Core.Ask;

/// <summary>
/// What one ask spent at the providers, however it ended: each provider call adds the tokens it reported or, when
/// it was cut before its usage arrived (the caller left, the stream broke off), an estimate from the text it read
/// and wrote (<see cref="TokenEstimate.OfCall"/>). Made per request by the web pipeline, which charges the caller
/// from it; an ask that joins another's production or is answered from the cache spends nothing of its own.
/// </summary>
public sealed class AskMeter(string? origin = null)
{
    private readonly Lock _gate = new();
    private TokenUsage _orchestrator = TokenUsage.None;
    private TokenUsage _executor = TokenUsage.None;
    private bool _estimated;
    private List<(string Model, TokenUsage Usage)>? _byModel;
    private Action<long>? _late;
    private int _inFlight;
    private TaskCompletionSource? _idle;

    /// <summary>
    /// The <c>origin</c> metrics label of an ask that is not a caller's (<c>warm-up</c>); null for a caller's, whose
    /// series carry no such label.
    /// </summary>
    public string? Origin { get; } = origin;

    /// <summary>Adds one provider call's tokens; after <see cref="Close"/>, hands them to the late charge at once.</summary>
    /// <param name="role">The model's role.</param>
    /// <param name="usage">The call's tokens.</param>
    /// <param name="estimated">True when they are an estimate of a cut call.</param>
    /// <param name="model">The model called, for <see cref="ByModel"/>: an ask that fell back spent at more than one.</param>
    public void Record(string role, TokenUsage usage, bool estimated, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (usage.Total == 0)
        {
            return;
        }

        Action<long>? late;
        lock (_gate)
        {
            if (role == ModelRole.Orchestrator)
            {
                _orchestrator += usage;
            }
            else
            {
                _executor += usage;
            }

            _estimated |= estimated;
            late = _late;
            if (model is not null)
            {
                _byModel ??= [];
                var index = _byModel.FindIndex(entry => entry.Model == model);
                if (index < 0)
                {
                    _byModel.Add((model, usage));
                }
                else
                {
                    _byModel[index] = (model, _byModel[index].Usage + usage);
                }
            }
        }

        late?.Invoke(usage.Total);
    }

    /// <summary>A provider call of this ask began; <see cref="CallEnded"/> follows once it has recorded what it spent.</summary>
    public void CallStarted()
    {
        lock (_gate)
        {
            _inFlight++;
        }
    }

    public void CallEnded()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_inFlight == 0)
            {
                (idle, _idle) = (_idle, null);
            }
        }

        idle?.TrySetResult();
    }

    /// <summary>
    /// Completes when no provider call of this ask is running: at once for an ask that ended, soon after for one
    /// whose caller left (its calls are being cancelled), so their cut calls are in the charge; later for a
    /// production another caller keeps alive, which the caller of <see cref="Close"/> should not wait out.
    /// </summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (_inFlight == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    /// <summary>What each model was spent so far, orchestrator and executor together, for the route's cost at each model's price.</summary>
    public IReadOnlyList<(string Model, TokenUsage Usage)> ByModel
    {
        get
        {
            lock (_gate)
            {
                return _byModel is null ? [] : [.. _byModel];
            }
        }
    }

    /// <summary>What was spent so far.</summary>
    public AskSpend Spent
    {
        get
        {
            lock (_gate)
            {
                return new AskSpend(_orchestrator, _executor, _estimated);
            }
        }
    }

    /// <summary>
    /// Ends the ask's accounting: returns what was spent, and sends whatever a provider call still reports later
    /// (one whose ask another caller kept alive) to <paramref name="late"/>, so it is charged too.
    /// </summary>
    public AskSpend Close(Action<long> late)
    {
        lock (_gate)
        {
            _late = late;
            return new AskSpend(_orchestrator, _executor, _estimated);
        }
    }
}
