namespace AgentApi.Core.Ask;

/// <summary>Time and size budgets of the ask pipeline.</summary>
public sealed class AskOptions
{
    /// <summary>Deadline for a whole ask, all retries included (<c>REQUEST_TIMEOUT_SECONDS</c>, default 60).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one orchestrator HTTP attempt (<c>ORCHESTRATOR_TIMEOUT_SECONDS</c>, default 10).</summary>
    public TimeSpan OrchestratorAttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one executor HTTP attempt (<c>EXECUTOR_TIMEOUT_SECONDS</c>, default 30).</summary>
    public TimeSpan ExecutorAttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound on the executor's answer length in tokens.</summary>
    public int ExecutorMaxOutputTokens { get; set; } = 2048;

    /// <summary>
    /// Characters of earlier turns the orchestrator sees (<c>ORCHESTRATOR_HISTORY_CHARS</c>, default 4000): the most
    /// recent turns that fit; a 1B model plans worse with a long transcript. 0 sends none.
    /// </summary>
    public int OrchestratorHistoryChars { get; set; } = 4000;

    /// <summary>Characters of earlier turns the executor sees (<c>EXECUTOR_HISTORY_CHARS</c>, default 64000): the most recent turns that fit.</summary>
    public int ExecutorHistoryChars { get; set; } = 64_000;
}
