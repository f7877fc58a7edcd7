namespace AgentApi.Core.Responses;

/// <summary>
/// The Responses API's stored responses (<c>/v1/responses</c>, docs/decisions/0016-stored-responses.md), in the cache
/// tier: memory, or Redis when it is configured, so every replica finds them. Each response belongs to one owner (a
/// caller): looked up under another owner it is not found, exactly as an unknown id. Kept for
/// <see cref="ResponseStoreOptions.Ttl"/>; a response the tier cannot keep (full, Redis down) is simply not found later.
/// </summary>
public interface IResponseStore
{
    /// <summary>False when stored responses are off (<see cref="ResponseStoreOptions.Ttl"/> is zero): nothing is kept.</summary>
    bool Enabled { get; }

    /// <summary>Keeps <paramref name="response"/> for <paramref name="owner"/>, replacing one with the same id.</summary>
    ValueTask SaveAsync(string owner, StoredResponse response, CancellationToken cancellationToken);

    /// <summary>The response with this id that <paramref name="owner"/> stored; null when there is none (never stored, another owner's, expired, deleted).</summary>
    ValueTask<StoredResponse?> FindAsync(string owner, string id, CancellationToken cancellationToken);

    /// <summary>Deletes the response; false when <see cref="FindAsync"/> would not have found it.</summary>
    ValueTask<bool> DeleteAsync(string owner, string id, CancellationToken cancellationToken);
}
