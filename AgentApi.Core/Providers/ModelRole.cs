namespace AgentApi.Core.Providers;

/// <summary>The two steps of an ask. Also the DI keys under which each step's <see cref="IChatModel"/> is registered.</summary>
public static class ModelRole
{
    public const string Orchestrator = "orchestrator";
    public const string Executor = "executor";
}
