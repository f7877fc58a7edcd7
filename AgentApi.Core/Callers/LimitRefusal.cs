namespace AgentApi.Core.Callers;

/// <summary>Why an ask was refused: the limit, its value, and how long until it can succeed.</summary>
public sealed record LimitRefusal(CallerLimit Limit, long Value, TimeSpan RetryAfter);
