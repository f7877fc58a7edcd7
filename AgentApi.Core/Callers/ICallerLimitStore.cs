namespace AgentApi.Core.Callers;

/// <summary>
/// Where caller limits are counted: in this process, or in a store replicas share (Redis), where each
/// operation is atomic so two replicas enforce one limit. <c>partition</c> is <see cref="Caller.Partition"/>.
/// </summary>
public interface ICallerLimitStore
{
    /// <summary>Counts one request in a window that starts with the first one; refused (and not counted) once <paramref name="limit"/> were counted.</summary>
    ValueTask<LimitCount> CountRequestAsync(string partition, int limit, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Takes one of <paramref name="limit"/> places; a place not given back expires after <paramref name="leaseTtl"/> (a replica that died).</summary>
    ValueTask<LimitCount> EnterAsync(string partition, string leaseId, int limit, TimeSpan leaseTtl, CancellationToken cancellationToken);

    /// <summary>Gives back the place <paramref name="leaseId"/> took; nothing happens when it holds none.</summary>
    ValueTask ExitAsync(string partition, string leaseId, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="tokens"/> to the day's count while it is below <paramref name="limit"/>; refused otherwise.</summary>
    ValueTask<LimitCount> ReserveTokensAsync(string partition, DateOnly day, long tokens, long limit, CancellationToken cancellationToken);

    /// <summary>Corrects the day's count by <paramref name="delta"/> (real usage minus the reservation).</summary>
    ValueTask AdjustTokensAsync(string partition, DateOnly day, long delta, CancellationToken cancellationToken);
}
