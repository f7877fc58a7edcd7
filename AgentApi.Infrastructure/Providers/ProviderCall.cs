namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// Per-call state shared between a chat model and its HTTP pipeline. Refit puts it into
/// <see cref="HttpRequestMessage.Options"/>; the retry policy reads the deadline and the attempt
/// handler counts attempts, so the model can report how many it took.
/// </summary>
internal sealed class ProviderCall(DateTimeOffset? deadline)
{
    public const string OptionKey = "agentapi.call";

    public static readonly HttpRequestOptionsKey<ProviderCall> Key = new(OptionKey);

    public DateTimeOffset? Deadline { get; } = deadline;

    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Body of the latest error response, read by <see cref="ProviderAttemptHandler"/>.</summary>
    public string? LastErrorBody { get; set; }

    public int NextAttempt() => Interlocked.Increment(ref _attempts);

    public static ProviderCall? From(HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var call) ? call : null;
}
