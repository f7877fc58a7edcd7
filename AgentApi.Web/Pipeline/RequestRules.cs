namespace AgentApi.Web.Pipeline;

/// <summary>
/// The input rules every door applies, each in its own error shape: a body of at most 1 MiB, valid UTF-8 JSON with
/// each key once and no field the door does not know, a question with at least one visible character
/// (<see cref="VisibleText"/>), and the length limits below.
/// </summary>
internal static class RequestRules
{
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The longest question on <c>/api</c>, and its context.</summary>
    public const int MaxQueryChars = 8_000;

    public const int MaxContextChars = 32_000;

    /// <summary>The longest last user message on <c>/v1</c>, and the longest system and developer text together.</summary>
    public const int MaxMessageChars = 32_000;
}
