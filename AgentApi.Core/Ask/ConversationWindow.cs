using AgentApi.Core.Providers;

namespace AgentApi.Core.Ask;

/// <summary>Which earlier turns of a conversation a model sees: the most recent ones within a character budget.</summary>
public static class ConversationWindow
{
    /// <summary>Marks a turn whose beginning was cut to fit the budget.</summary>
    public const string Ellipsis = "…";

    /// <summary>
    /// The most recent turns whose text fits in <paramref name="maxChars"/>, oldest first. The window never skips a
    /// turn: it stops at the first that does not fit. When even the latest turn does not fit, its end is kept
    /// (the end of an answer is what a follow-up usually refers to). A tool exchange is never split or reworded: the
    /// window never starts on a tool result whose call it left out, and a turn of an exchange is never cut.
    /// </summary>
    public static IReadOnlyList<ChatTurn> Recent(IReadOnlyList<ChatTurn> turns, int maxChars)
    {
        if (turns.Count == 0 || maxChars <= 0)
        {
            return [];
        }

        var used = 0;
        var first = turns.Count;
        while (first > 0 && used + Size(turns[first - 1]) <= maxChars)
        {
            first--;
            used += Size(turns[first]);
        }

        // A tool result without its call is refused by the provider (and means nothing): start after it.
        while (first < turns.Count && turns[first].Role == ChatRole.Tool)
        {
            first++;
        }

        if (first == turns.Count)
        {
            var latest = turns[^1];
            if (latest.IsToolExchange)
            {
                return [];
            }

            var keep = maxChars - Ellipsis.Length;
            if (keep <= 0)
            {
                return [];
            }

            // Never start inside a surrogate pair.
            var start = latest.Text.Length - keep;
            start += char.IsLowSurrogate(latest.Text[start]) ? 1 : 0;
            return [latest with { Text = string.Concat(Ellipsis, latest.Text.AsSpan(start)) }];
        }

        return first == 0 ? turns : [.. turns.Skip(first)];
    }

    /// <summary>A turn's characters: its text, and its tool calls' names and arguments.</summary>
    private static int Size(ChatTurn turn)
    {
        var size = turn.Text.Length;
        foreach (var call in turn.ToolCalls ?? [])
        {
            size += call.Name.Length + call.Arguments.Length;
        }

        return size;
    }
}
