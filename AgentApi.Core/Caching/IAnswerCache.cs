using AgentApi.Core.Ask;

namespace AgentApi.Core.Caching;

/// <summary>
/// A get-or-add cache of answers that runs the producer once per key, however many identical asks
/// arrive together. Failures are never cached; answers that are not <see cref="AskAnswer.IsCacheable"/>
/// are shared with the asks that joined but not stored.
/// </summary>
public interface IAnswerCache
{
    ValueTask<CacheLookup> GetOrCreateAsync(
        string key,
        Func<CancellationToken, ValueTask<AskAnswer>> produce,
        CacheMode mode,
        CancellationToken cancellationToken);

    CacheStatistics GetStatistics();
}
