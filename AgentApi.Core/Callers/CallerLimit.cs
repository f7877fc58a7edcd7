namespace AgentApi.Core.Callers;

/// <summary>The limits a caller can run into; each has its own problem type and metric label.</summary>
public enum CallerLimit
{
    /// <summary><c>RATE_LIMIT_PER_MINUTE</c>.</summary>
    RequestsPerMinute,

    /// <summary><c>RATE_LIMIT_CONCURRENCY</c>.</summary>
    Concurrency,

    /// <summary><c>TOKEN_BUDGET_PER_DAY</c>.</summary>
    TokensPerDay,
}
