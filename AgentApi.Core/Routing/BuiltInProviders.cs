namespace AgentApi.Core.Routing;

/// <summary>The providers today's settings define, whatever the routes file says: a route's bare model id goes to <see cref="Executor"/>.</summary>
public static class BuiltInProviders
{
    /// <summary>The executor's provider, from the <c>OPENAI_*</c> settings (any OpenAI-compatible server).</summary>
    public const string Executor = "openai";

    /// <summary>The orchestrator's provider, from the <c>GEMMA_*</c> settings (the Gemini API or an OpenAI-compatible server); usable for Gemini models too.</summary>
    public const string Orchestrator = "gemini";

    public static bool IsBuiltIn(string name) => name is Executor or Orchestrator;
}
