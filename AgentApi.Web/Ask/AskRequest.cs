using System.ComponentModel.DataAnnotations;

namespace AgentApi.Web.Ask;

/// <summary>A question for the gateway.</summary>
public sealed record AskRequest
{
    public const int MaxQueryLength = 8_000;
    public const int MaxContextLength = 32_000;
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The question to answer (not blank, at most 8,000 characters).</summary>
    [Required]
    [StringLength(MaxQueryLength, MinimumLength = 1)]
    public string Query { get; init; } = string.Empty;

    /// <summary>Optional background the answer should take into account (at most 32,000 characters).</summary>
    [StringLength(MaxContextLength)]
    public string? Context { get; init; }

    /// <summary>Set to <c>false</c> to skip the cache read for this request; the fresh answer still refreshes the cache. Default <c>true</c>.</summary>
    public bool? Cache { get; init; }
}
