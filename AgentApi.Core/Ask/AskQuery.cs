namespace AgentApi.Core.Ask;

/// <summary>A user's question.</summary>
/// <param name="Query">The question.</param>
/// <param name="Context">Optional background the answer should use.</param>
/// <param name="UseCache">False to skip the cache read for this ask (the fresh answer still refreshes the cache).</param>
/// <param name="CacheScope">Who may share this ask's cached answer: a caller's partition, or null for every caller.</param>
public sealed record AskQuery(string Query, string? Context = null, bool UseCache = true, string? CacheScope = null);
