namespace AgentApi.Tests.Docs;

/// <summary>A fenced code block of a documentation page, with the heading it sits under and the HTML comment on the line before it.</summary>
/// <param name="Page">The page's path from the repository root, with <c>/</c>.</param>
/// <param name="Line">The line of the opening fence, from 1.</param>
/// <param name="Heading">The nearest heading above it, as written (<c>### C#</c>); empty above the first.</param>
/// <param name="Language">The fence's language (<c>bash</c>, <c>csharp</c>, <c>ts</c>, …); empty when it names none.</param>
/// <param name="Code">The lines between the fences, less the fence's indentation, each ending with a line feed.</param>
/// <param name="Marker">The text of a <c>&lt;!-- … --&gt;</c> comment on the line just before the fence, or null.</param>
internal sealed record DocBlock(string Page, int Line, string Heading, string Language, string Code, string? Marker)
{
    private const string RunByPrefix = "run by:";
    private const string NotRunPrefix = "not run:";

    /// <summary>The tests (<c>Class.Method</c>) a <c>&lt;!-- run by: A.B, C.D --&gt;</c> marker names; empty without one.</summary>
    public IReadOnlyList<string> RunBy => Marker is { } marker && marker.StartsWith(RunByPrefix, StringComparison.Ordinal)
        ? [.. marker[RunByPrefix.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
        : [];

    /// <summary>The reason of a <c>&lt;!-- not run: reason --&gt;</c> marker, or null without one.</summary>
    public string? NotRunReason => Marker is { } marker && marker.StartsWith(NotRunPrefix, StringComparison.Ordinal)
        ? marker[NotRunPrefix.Length..].Trim()
        : null;

    public override string ToString() => $"{Page}:{Line} ({(Language.Length == 0 ? "no language" : Language)} under '{Heading}')";
}
