namespace AgentApi.Core.Callers;

/// <summary>Who is asking: the name logs and metrics show, and the key their limits are counted under.</summary>
/// <param name="Name">The key's name from <c>AGENTAPI_API_KEYS_FILE</c>, <c>key-</c> and a short hash of the key, or <c>anonymous</c>.</param>
/// <param name="Partition">What limits and cache scope are counted under: <c>key:</c> and the name, or <c>ip:</c> and the client address when the service is open.</param>
public sealed record Caller(string Name, string Partition)
{
    public const string AnonymousName = "anonymous";

    public static Caller Keyed(string name) => new(name, "key:" + name);

    public static Caller Anonymous(string? clientAddress) => new(AnonymousName, "ip:" + (clientAddress ?? "unknown"));
}
