namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// What one provider call's HTTP pipeline shares with the model that made the call. The model puts it
/// in <see cref="HttpRequestMessage.Options"/> (through Refit's <c>[Property]</c>); the retry policy reads
/// the deadline and the latest fault, and <see cref="ProviderAttemptHandler"/> counts attempts and records
/// the fault, so the model can report both once the call is over.
/// </summary>
internal sealed class ProviderCall(DateTimeOffset? deadline, string model, bool streamsBody = false, ProviderChannel? channel = null)
{
    public const string OptionKey = "agentapi.call";

    private static readonly HttpRequestOptionsKey<ProviderCall> Key = new(OptionKey);

    private int _attempts;

    /// <summary>The call must be over by then (<see cref="Core.Providers.ChatRequest.Deadline"/>); a retry that cannot finish in time is not made.</summary>
    public DateTimeOffset? Deadline { get; } = deadline;

    /// <summary>
    /// True for a streamed answer: the attempt ends with the response headers and the body is read after it,
    /// chunk by chunk, instead of being buffered inside the attempt.
    /// </summary>
    public bool StreamsBody { get; } = streamsBody;

    /// <summary>The model id this call is sent to: the request's (<see cref="Core.Providers.ChatRequest.Model"/>) or the channel's.</summary>
    public string Model { get; } = model;

    /// <summary>The provider the call goes to: the handlers of a role's HttpClient serve every provider of the role and read it here.</summary>
    public ProviderChannel? Channel { get; } = channel;

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>The URL of the latest attempt: scheme, host and path, never the query.</summary>
    public string? Url { get; private set; }

    /// <summary>The latest error response, read once.</summary>
    public ProviderFault? LastFault { get; private set; }

    /// <summary>Hands this call to the pipeline that sends <paramref name="request"/> (what Refit's <c>[Property]</c> does).</summary>
    public void AttachTo(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(Key, this);
    }

    public static ProviderCall? From(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Key, out var call) ? call : null;

    /// <summary>The call a Polly context carries (<see cref="ProviderAttemptHandler"/> puts it there), for the retry's log line and metric.</summary>
    public static ProviderCall? From(Polly.Context? context) =>
        context is not null && context.TryGetValue(OptionKey, out var call) ? call as ProviderCall : null;

    /// <summary>Starts an attempt and returns its number (1 for the first).</summary>
    public int StartAttempt(HttpRequestMessage request)
    {
        Url = request.RequestUri?.GetLeftPart(UriPartial.Path);
        LastFault = null;
        return Interlocked.Increment(ref _attempts);
    }

    public void Failed(ProviderFault fault) => LastFault = fault;
}
