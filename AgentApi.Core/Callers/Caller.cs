namespace AgentApi.Core.Callers;

/// <summary>Who is asking: the name logs and metrics show, and the key their limits are counted under.</summary>
/// <param name="Name">The key's name from <c>AGENTAPI_API_KEYS_FILE</c>, <c>key-</c> and a short hash of the key, <c>anonymous</c>, or <c>(warm-up)</c>.</param>
/// <param name="Partition">What limits and cache scope are counted under: <c>key:</c> and the name, or <c>ip:</c> and the client address when the service is open.</param>
/// <param name="Kind">What kind of caller this is; the instance's own warm-up is one of its own.</param>
public sealed record Caller(string Name, string Partition, CallerKind Kind = CallerKind.Key)
{
    public const string AnonymousName = "anonymous";

    /// <summary>
    /// The instance's own warm-up (docs/decisions/0011): not a valid key name, so no caller shares its cache partition
    /// or its metric series. Its asks are ordinary asks, under no caller's limits and labelled <c>origin="warm-up"</c>.
    /// </summary>
    public static readonly Caller WarmUp = new("(warm-up)", "warm-up", CallerKind.WarmUp);

    /// <summary>False for the warm-up: its asks are counted and charged (its own series) but never refused.</summary>
    public bool IsLimited => Kind != CallerKind.WarmUp;

    /// <summary>The <c>origin</c> metrics label of this caller's asks: null for a caller's, <c>warm-up</c> for the warm-up's.</summary>
    public string? Origin => Kind == CallerKind.WarmUp ? "warm-up" : null;

    public static Caller Keyed(string name) => new(name, "key:" + name);

    public static Caller Anonymous(string? clientAddress) => new(AnonymousName, "ip:" + (clientAddress ?? "unknown"), CallerKind.Anonymous);
}
