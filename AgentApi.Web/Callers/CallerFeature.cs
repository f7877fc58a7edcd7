using AgentApi.Core.Callers;

namespace AgentApi.Web.Callers;

/// <summary>The caller a request was authenticated as, and the cache scope its asks use (null: shared by every caller).</summary>
internal sealed record CallerFeature(Caller Caller, string? CacheScope);
