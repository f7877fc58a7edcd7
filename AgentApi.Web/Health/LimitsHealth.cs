namespace AgentApi.Web.Health;

/// <summary>Where caller limits are counted.</summary>
/// <param name="Store"><c>redis</c>: shared by every replica; <c>memory</c>: this replica only.</param>
/// <param name="Shared">True when replicas enforce one limit together.</param>
/// <param name="Fallback">True when Redis is configured but unreachable, so each replica counts its own limits until it answers again.</param>
public sealed record LimitsHealth(string Store, bool Shared, bool Fallback);
