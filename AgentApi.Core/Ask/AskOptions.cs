namespace AgentApi.Core.Ask;

/// <summary>Time budgets of the ask pipeline.</summary>
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
}
