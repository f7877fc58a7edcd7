using AgentApi.Core.Ask;

namespace AgentApi.Core.Caching;

/// <summary>An answer and where it came from.</summary>
public readonly record struct CacheLookup(AskAnswer Answer, CacheSource Source);
