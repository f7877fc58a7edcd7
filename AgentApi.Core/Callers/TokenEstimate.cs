using AgentApi.Core.Orchestration;

namespace AgentApi.Core.Callers;

/// <summary>
/// What an ask may cost before it is made, reserved from the caller's daily budget: both models read the
/// question and context (about 3 characters a token, on the high side) plus their instructions, and may write
/// up to their output limits. Settled with the providers' reported usage afterwards.
/// </summary>
public static class TokenEstimate
{
    private const int CharactersPerToken = 3;

    // The orchestrator's template and the executor's instruction and focused prompt, generously.
    private const int PromptOverheadTokens = 600;

    public static long For(string query, string? context, int executorMaxOutputTokens)
    {
        var textTokens = ((long)query.Length + (context?.Length ?? 0) + CharactersPerToken - 1) / CharactersPerToken;
        return 2 * textTokens + PromptOverheadTokens + OrchestratorPrompt.MaxOutputTokens + executorMaxOutputTokens;
    }
}
