namespace AgentApi.Core.Callers;

/// <summary>Where limits are counted now: <c>redis</c> (shared by replicas) or <c>memory</c> (this replica); <paramref name="Fallback"/> when Redis is configured but unreachable.</summary>
public sealed record LimitsStatus(string Store, bool Shared, bool Fallback);
