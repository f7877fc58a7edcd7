using AgentApi.Core.Caching;
using AgentApi.Core.Providers;

namespace AgentApi.Core.Ask;

/// <summary>A user's question.</summary>
/// <param name="Query">The question.</param>
/// <param name="Context">Optional background the answer should use.</param>
/// <param name="UseCache">False to skip the cache read for this ask (the fresh answer still refreshes the cache); see <see cref="Store"/>.</param>
/// <param name="CacheScope">Who may share this ask's cached answer: a caller's partition, or null for every caller.</param>
public sealed record AskQuery(string Query, string? Context = null, bool UseCache = true, string? CacheScope = null)
{
    /// <summary>Earlier turns of the conversation, oldest first; empty for a single question (<c>/api/ask</c>).</summary>
    public IReadOnlyList<ChatTurn> History { get; init; } = [];

    /// <summary>The caller's own instructions for the answer (an OpenAI system or developer message); they follow the route's instructions.</summary>
    public string? Instructions { get; init; }

    /// <summary>False to skip the orchestrator: the executor answers the query as it is, under the general instructions.</summary>
    public bool Orchestrate { get; init; } = true;

    /// <summary>The executor's sampling temperature, or null for the provider's default.</summary>
    public double? Temperature { get; init; }

    /// <summary>A lower limit on the executor's answer in tokens than the configured one; null for the configured one.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>False to neither read nor store (<c>Cache-Control: no-store</c>): the ask is answered as if there were no cache.</summary>
    public bool Store { get; init; } = true;

    /// <summary>How this ask uses the cache: <see cref="UseCache"/> and <see cref="Store"/> together.</summary>
    public CacheMode CacheMode => !Store ? CacheMode.Bypass : UseCache ? CacheMode.ReadWrite : CacheMode.Refresh;

    /// <summary>Where this ask's provider calls record what they spent; never part of the cache key.</summary>
    public AskMeter Meter { get; init; } = new();

    /// <summary>The caller's other sampling settings (<c>top_p</c>, <c>stop</c>, <c>seed</c>, penalties), passed to the executor.</summary>
    public Sampling Sampling { get; init; } = Sampling.None;

    /// <summary>The caller's end-user id (OpenAI's <c>user</c> or <c>safety_identifier</c>), passed to the executor for its abuse monitoring; never part of the cache key.</summary>
    public string? EndUser { get; init; }

    /// <summary>
    /// The turns after the question (<see cref="Query"/>, the last user message), oldest first: the assistant's tool calls
    /// and the tools' results of the exchange in progress, verbatim. Empty unless the ask continues a tool exchange.
    /// </summary>
    public IReadOnlyList<ChatTurn> ToolTurns { get; init; } = [];

    /// <summary>The functions the executor may call; null for none. The orchestrator sees only their names and descriptions.</summary>
    public ToolSet? Tools { get; init; }

    /// <summary>The shape the executor's answer must take (JSON mode, a JSON Schema); null for text. The executor's only.</summary>
    public ResponseFormat? ResponseFormat { get; init; }

    /// <summary>
    /// True when the ask's last message is a tool's result: it continues on the route that made the call, without a
    /// new plan (docs/decisions/0013-tool-turns.md).
    /// </summary>
    public bool ContinuesToolCall => ToolTurns.Count > 0 && ToolTurns[^1].Role == ChatRole.Tool;

    /// <summary>The id of the call the last tool result answers, when <see cref="ContinuesToolCall"/>.</summary>
    public string? AnsweredToolCallId => ContinuesToolCall ? ToolTurns[^1].ToolCallId : null;

    /// <summary>
    /// True when the executor must get the caller's messages as they are: tools, a tool exchange in progress or a
    /// response format. The orchestrator's prompt then goes beside them as guidance, never in place of the question.
    /// </summary>
    public bool IsVerbatim => Tools is not null || ResponseFormat is not null || ToolTurns.Count > 0;

    /// <summary>True when anything beyond the question and context shapes the answer; such an ask has its own cache key.</summary>
    public bool IsConversation =>
        History.Count > 0 || Instructions is not null || !Orchestrate || Temperature is not null || MaxOutputTokens is not null || !Sampling.IsDefault || IsVerbatim;
}
