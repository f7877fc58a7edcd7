namespace AgentApi.Core.Callers;

/// <summary>A store's answer: allowed or not, the count after it, and (for windows) when the count starts again.</summary>
public readonly record struct LimitCount(bool Allowed, long Used, TimeSpan ResetAfter);
