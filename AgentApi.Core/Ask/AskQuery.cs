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

    /// <summary>True when anything beyond the question and context shapes the answer; such an ask has its own cache key.</summary>
    public bool IsConversation =>
        History.Count > 0 || Instructions is not null || !Orchestrate || Temperature is not null || MaxOutputTokens is not null || !Sampling.IsDefault;
}
