namespace AgentApi.Core.Providers;

/// <summary>One prompt for a model.</summary>
/// <param name="UserMessage">The user turn.</param>
/// <param name="SystemInstruction">Optional instructions; a client folds them into the user turn where the model rejects a system role (Gemma).</param>
/// <param name="MaxOutputTokens">Upper bound on generated tokens.</param>
/// <param name="Temperature">Sampling temperature, or null for the provider's default.</param>
/// <param name="Deadline">When the whole ask must be finished; retries that cannot finish by then are not attempted.</param>
/// <param name="Model">The model id to call for this request (a route's model); null for the model's configured one (<see cref="ChatModelInfo.Model"/>).</param>
/// <param name="History">Earlier turns of the conversation, oldest first, sent before <paramref name="UserMessage"/>; null or empty for a single question.</param>
public sealed record ChatRequest(
    string UserMessage,
    string? SystemInstruction = null,
    int? MaxOutputTokens = null,
    double? Temperature = null,
    DateTimeOffset? Deadline = null,
    string? Model = null,
    IReadOnlyList<ChatTurn>? History = null)
{
    /// <summary>Where the call's tokens are recorded for the ask that made it (reported, or estimated when the call is cut); null outside an ask.</summary>
    public Ask.AskMeter? Meter { get; init; }

    /// <summary>Sampling settings beyond <see cref="Temperature"/>; <see cref="Sampling.None"/> for the provider's defaults.</summary>
    public Sampling Sampling { get; init; } = Sampling.None;

    /// <summary>The caller's end-user id, for the provider's abuse monitoring; null when none was given.</summary>
    public string? EndUser { get; init; }

    /// <summary>The turns after <see cref="UserMessage"/>, sent after it verbatim: the assistant's tool calls and the tools' results of the exchange in progress.</summary>
    public IReadOnlyList<ChatTurn> ToolTurns { get; init; } = [];

    /// <summary>The functions the model may call; null for none. The executor's only: never sent to the orchestrator.</summary>
    public ToolSet? Tools { get; init; }

    /// <summary>The shape the answer must take; null for text. The executor's only.</summary>
    public ResponseFormat? ResponseFormat { get; init; }

    /// <summary>True when the request asks for what only the executor is given, and Gemma models cannot take: tools, tool turns, a response format.</summary>
    public bool UsesToolsOrFormat =>
        Tools is not null || ResponseFormat is not null || ToolTurns.Count > 0 || (History?.Any(turn => turn.IsToolExchange) ?? false);
}
