using AgentApi.Core.Orchestration;
using AgentApi.Core.Providers;

namespace AgentApi.Core.Ask;

/// <summary>
/// Tokens from characters, the one rule for what is not yet known (about 3 characters a token, on the high side):
/// what an ask may cost, reserved from the caller's budget before it is made, and what a provider call cut before
/// its usage arrived is charged.
/// </summary>
public static class TokenEstimate
{
    private const int CharactersPerToken = 3;

    // The orchestrator's template and the executor's instruction and focused prompt, generously.
    private const int PromptOverheadTokens = 600;

    /// <summary>Tokens of <paramref name="characters"/> characters of text.</summary>
    public static int Of(long characters) => (int)Math.Min(int.MaxValue, (characters + CharactersPerToken - 1) / CharactersPerToken);

    /// <summary>
    /// What an ask may cost under <paramref name="options"/>: as <see cref="For(AskQuery, int, long)"/>, with the history
    /// counted only as far as the larger of the models' history windows reaches (a conversation the Responses API
    /// rebuilds may be far longer than any model is sent).
    /// </summary>
    public static long For(AskQuery query, AskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return For(query, options.ExecutorMaxOutputTokens, Math.Max(options.OrchestratorHistoryChars, options.ExecutorHistoryChars));
    }

    /// <summary>
    /// What an ask may cost: both models read the question, context, instructions and history (up to
    /// <paramref name="historyChars"/> of it) plus their own instructions, and may write up to their output limits.
    /// </summary>
    public static long For(AskQuery query, int executorMaxOutputTokens, long historyChars = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(query);
        long characters = query.Query.Length + (query.Context?.Length ?? 0) + (query.Instructions?.Length ?? 0)
            + Math.Min(Characters(query.History), historyChars) + Characters(query.ToolTurns) + Characters(query.Tools, query.ResponseFormat);

        var output = query.MaxOutputTokens is { } limit && limit < executorMaxOutputTokens ? limit : executorMaxOutputTokens;
        return 2L * Of(characters) + PromptOverheadTokens + OrchestratorPrompt.MaxOutputTokens + output;
    }

    /// <summary>The same for a single question with optional context.</summary>
    public static long For(string query, string? context, int executorMaxOutputTokens) =>
        For(new AskQuery(query, context), executorMaxOutputTokens);

    /// <summary>A provider call cut before it reported usage: the prompt it was sent, and the <paramref name="outputCharacters"/> it wrote.</summary>
    public static TokenUsage OfCall(ChatRequest request, long outputCharacters)
    {
        ArgumentNullException.ThrowIfNull(request);
        long characters = request.UserMessage.Length + (request.SystemInstruction?.Length ?? 0)
            + Characters(request.History ?? []) + Characters(request.ToolTurns) + Characters(request.Tools, request.ResponseFormat);

        return new TokenUsage(Of(characters), Of(outputCharacters));
    }

    /// <summary>The turns' text, and their tool calls' names and arguments.</summary>
    private static long Characters(IReadOnlyList<ChatTurn> turns)
    {
        long characters = 0;
        foreach (var turn in turns)
        {
            characters += turn.Text.Length;
            foreach (var call in turn.ToolCalls ?? [])
            {
                characters += call.Name.Length + call.Arguments.Length;
            }
        }

        return characters;
    }

    /// <summary>The tools' definitions and the response format's schema: the provider reads them as prompt.</summary>
    private static long Characters(ToolSet? tools, ResponseFormat? format)
    {
        long characters = format?.Schema?.Length ?? 0;
        foreach (var tool in tools?.Tools ?? [])
        {
            characters += tool.Name.Length + (tool.Description?.Length ?? 0) + (tool.Parameters?.Length ?? 0);
        }

        return characters;
    }
}
