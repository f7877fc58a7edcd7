namespace AgentApi.Core.Callers;

/// <summary>The per-minute limit as the <c>RateLimit-*</c> headers tell it: the limit, what is left, seconds until it resets.</summary>
public sealed record RequestWindow(int Limit, long Remaining, TimeSpan ResetAfter);
