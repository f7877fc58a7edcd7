namespace AgentApi.Core.Callers;

/// <summary>Admits a caller's ask under the per-minute, concurrency and daily token limits, counted where replicas share them when they can.</summary>
public interface ICallerLimiter
{
    /// <summary>Where limits are counted right now.</summary>
    LimitsStatus Status { get; }

    /// <summary>
    /// Counts the request, takes a concurrency place and reserves <paramref name="estimatedTokens"/> of the day's budget.
    /// Dispose the admission when the ask ends; <see cref="Admission.SettleAsync"/> first with the tokens it really used.
    /// </summary>
    ValueTask<Admission> AdmitAsync(Caller caller, long estimatedTokens, CancellationToken cancellationToken);
}
