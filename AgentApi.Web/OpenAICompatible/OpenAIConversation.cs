using System.Globalization;
using AgentApi.Core.Providers;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.Pipeline;
using static AgentApi.Web.OpenAICompatible.OpenAIRequestJson;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// A <c>/v1</c> conversation split at the question (the last user message): the turns before it, the tool exchange after
/// it, and the caller's instructions (every system and developer message, and the Responses API's <c>instructions</c>).
/// Both <c>/v1</c> doors split and check their conversations here, under one set of rules.
/// </summary>
internal sealed record OpenAIConversation(string Query, IReadOnlyList<ChatTurn> History, IReadOnlyList<ChatTurn> ToolTurns, string? Instructions)
{
    /// <summary>The longest question, and the longest instructions together.</summary>
    public const int MaxMessageChars = RequestRules.MaxMessageChars;

    /// <summary>True when any text of the conversation contains <paramref name="word"/> (OpenAI's rule for JSON mode).</summary>
    public bool Mentions(string word) =>
        new[] { Query, Instructions ?? string.Empty }.Concat(History.Concat(ToolTurns).Select(turn => turn.Text)).Any(text => text.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Splits <paramref name="turns"/> (user, assistant and tool turns, oldest first) at the question and checks what
    /// every door checks: the tool exchanges as OpenAI checks them, a conversation that ends with the user's question or a
    /// tool's result, a question with a visible character and at most <see cref="MaxMessageChars"/> characters, and the
    /// same for the instructions joined by blank lines.
    /// </summary>
    /// <param name="turns">The turns, each with the fields its errors name.</param>
    /// <param name="instructions">The instructions, in order.</param>
    /// <param name="conversationField">The field errors about the whole conversation name: <c>messages</c>, <c>input</c>.</param>
    /// <param name="instructionsField">The field errors about the instructions name.</param>
    /// <exception cref="InvalidOpenAIRequestException">The conversation cannot be answered as sent.</exception>
    public static OpenAIConversation Split(IReadOnlyList<ConversationTurn> turns, IReadOnlyList<string> instructions, string conversationField, string instructionsField)
    {
        CheckToolExchanges(turns);
        var question = turns.Count - 1;
        while (question >= 0 && turns[question].Turn.Role != ChatRole.User)
        {
            question--;
        }

        if (question < 0 || turns[^1].Turn.Role is not (ChatRole.User or ChatRole.Tool))
        {
            throw Invalid("The last message other than system and developer messages must come from the user (the question to answer) or a tool (a call's result).", conversationField, "invalid_value");
        }

        var asked = turns[question];
        var query = asked.Turn.Text;
        if (string.IsNullOrWhiteSpace(query))
        {
            throw Invalid("The last user message must not be blank.", asked.TextField, "invalid_value");
        }

        if (!VisibleText.HasVisibleCharacter(query))
        {
            throw Invalid("The last user message must contain at least one visible character, not only control, zero-width or direction characters.", asked.TextField, "invalid_value");
        }

        if (query.Length > MaxMessageChars)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"The last user message has {query.Length} characters; at most {MaxMessageChars} are allowed."),
                asked.TextField, "string_above_max_length");
        }

        var joined = instructions.Count == 0 ? null : string.Join("\n\n", instructions.Where(text => !string.IsNullOrWhiteSpace(text)));
        if (!string.IsNullOrWhiteSpace(joined) && !VisibleText.HasVisibleCharacter(joined))
        {
            throw Invalid("System and developer messages must contain at least one visible character when given, not only control, zero-width or direction characters.",
                instructionsField, "invalid_value");
        }

        if (joined?.Length > MaxMessageChars)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"System and developer messages have {joined.Length} characters together; at most {MaxMessageChars} are allowed."),
                instructionsField, "string_above_max_length");
        }

        return new OpenAIConversation(
            query,
            [.. turns.Take(question).Select(turn => turn.Turn)],
            [.. turns.Skip(question + 1).Select(turn => turn.Turn)],
            string.IsNullOrWhiteSpace(joined) ? null : joined);
    }

    /// <summary>
    /// The rules OpenAI applies to a tool exchange, checked here so the caller gets the error naming the field (not a
    /// provider's 400 as a 502): a tool result answers a call of the assistant turn it follows (directly, or after other
    /// results of it), and every call of an assistant turn is answered before the conversation goes on.
    /// </summary>
    private static void CheckToolExchanges(IReadOnlyList<ConversationTurn> turns)
    {
        HashSet<string>? calls = null;
        HashSet<string>? pending = null;
        ConversationTurn? caller = null;
        foreach (var placed in turns)
        {
            var turn = placed.Turn;
            if (turn.Role == ChatRole.Tool)
            {
                if (calls is null)
                {
                    throw Invalid($"Invalid parameter: the tool result at '{placed.ResultField}' must answer a tool call of the assistant turn just before it.", placed.ResultField, "invalid_value");
                }

                if (!calls.Contains(turn.ToolCallId!))
                {
                    throw Invalid($"Invalid parameter: '{placed.CallIdField}' '{LogText.Cut(turn.ToolCallId!)}' does not match any tool call of {caller!.CallsField}. Answer one of its call ids.",
                        placed.CallIdField, "invalid_value");
                }

                pending!.Remove(turn.ToolCallId!);
                continue;
            }

            if (pending is { Count: > 0 })
            {
                throw Unanswered(caller!, pending);
            }

            calls = turn.ToolCalls is { Count: > 0 } made ? made.Select(call => call.Id).ToHashSet(StringComparer.Ordinal) : null;
            pending = calls is null ? null : new HashSet<string>(calls, StringComparer.Ordinal);
            caller = placed;
        }

        if (pending is { Count: > 0 } && turns[^1].Turn.Role == ChatRole.Tool)
        {
            throw Unanswered(caller!, pending);
        }
    }

    private static InvalidOpenAIRequestException Unanswered(ConversationTurn caller, IEnumerable<string> pending) =>
        Invalid($"The tool calls of {caller.CallsField} must each get a result before the conversation goes on. These call ids have none: {LogText.Cut(string.Join(", ", pending))}",
            caller.CallsField, "invalid_value");
}
