using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace AgentApi.Web.Ask;

/// <summary>A question for the gateway.</summary>
/// <example>{ "query": "What is the capital of France?", "context": "Answer in one sentence.", "cache": true }</example>
public sealed record AskRequest
{
    public const int MaxQueryLength = 8_000;
    public const int MaxContextLength = 32_000;
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The question to answer (not blank, at most 8,000 characters).</summary>
    /// <example>What is the capital of France?</example>
    [Required]
    [StringLength(MaxQueryLength, MinimumLength = 1)]
    public string Query { get; init; } = string.Empty;

    /// <summary>Optional background the answer should take into account (at most 32,000 characters).</summary>
    /// <example>Answer in one sentence.</example>
    [StringLength(MaxContextLength)]
    public string? Context { get; init; }

    /// <summary>Set to <c>false</c> to skip the cache read for this request; the fresh answer still refreshes the cache. Default <c>true</c>.</summary>
    [DefaultValue(true)]
    public bool? Cache { get; init; }
}
