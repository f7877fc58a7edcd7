namespace AgentApi.Web.OpenAICompatible;

/// <summary>The model ids <c>/v1</c> serves, each a way through the pipeline.</summary>
public sealed class OpenAICompatibleOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "OpenAICompatible";

    /// <summary>Runs the whole pipeline: orchestrator, then executor (<c>V1_MODEL</c>, default <c>agentapi</c>).</summary>
    public string Model { get; set; } = "agentapi";

    /// <summary>Skips the orchestrator: the executor answers the conversation as it is (<c>V1_DIRECT_MODEL</c>, default <c>agentapi-direct</c>).</summary>
    public string DirectModel { get; set; } = "agentapi-direct";

    /// <summary>Every id, in the order <c>GET /v1/models</c> lists them.</summary>
    public IReadOnlyList<string> Ids => [Model, DirectModel];

    /// <summary>True when <paramref name="model"/> is served; <paramref name="orchestrate"/> says which way it goes.</summary>
    public bool TryResolve(string model, out bool orchestrate)
    {
        orchestrate = string.Equals(model, Model, StringComparison.Ordinal);
        return orchestrate || string.Equals(model, DirectModel, StringComparison.Ordinal);
    }
}
