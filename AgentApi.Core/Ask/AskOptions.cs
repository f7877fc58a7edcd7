using AgentApi.Core.Configuration;

namespace AgentApi.Core.Ask;

/// <summary>Time and size budgets of the ask pipeline, bound from the <c>Ask</c> section.</summary>
public sealed class AskOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Ask";

    /// <summary>Deadline for a whole ask, all retries included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one orchestrator HTTP attempt.</summary>
    public TimeSpan OrchestratorAttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one executor HTTP attempt.</summary>
    public TimeSpan ExecutorAttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound on the executor's answer length in tokens.</summary>
    public int ExecutorMaxOutputTokens { get; set; } = 2048;

    /// <summary>
    /// Characters of earlier turns the orchestrator sees: the most recent turns that fit (a 1B model plans worse
    /// with a long transcript); 0 sends none.
    /// </summary>
    public int OrchestratorHistoryChars { get; set; } = 4000;

    /// <summary>Characters of earlier turns the executor sees: the most recent turns that fit; 0 sends none.</summary>
    public int ExecutorHistoryChars { get; set; } = 64_000;

    /// <summary><see cref="RequestTimeout"/> in seconds, the way configuration writes it.</summary>
    public double RequestTimeoutSeconds
    {
        get => RequestTimeout.TotalSeconds;
        set => RequestTimeout = Durations.FromSeconds(value);
    }

    /// <summary><see cref="OrchestratorAttemptTimeout"/> in seconds, the way configuration writes it.</summary>
    public double OrchestratorAttemptTimeoutSeconds
    {
        get => OrchestratorAttemptTimeout.TotalSeconds;
        set => OrchestratorAttemptTimeout = Durations.FromSeconds(value);
    }

    /// <summary><see cref="ExecutorAttemptTimeout"/> in seconds, the way configuration writes it.</summary>
    public double ExecutorAttemptTimeoutSeconds
    {
        get => ExecutorAttemptTimeout.TotalSeconds;
        set => ExecutorAttemptTimeout = Durations.FromSeconds(value);
    }
}
