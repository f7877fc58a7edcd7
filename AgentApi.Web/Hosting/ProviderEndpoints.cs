using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Hosting;

/// <summary>
/// What the start-up report says about each provider, read from the provider options: protocol, model and
/// base URL, never the key. The options hold base URLs already stripped to scheme, host and path.
/// </summary>
internal sealed class ProviderEndpoints(IOptions<OrchestratorOptions> orchestrator, IOptions<ExecutorOptions> executor)
{
    public ProviderEndpoint Orchestrator => Describe(ModelRole.Orchestrator, orchestrator.Value);

    public ProviderEndpoint Executor => Describe(ModelRole.Executor, executor.Value);

    private static ProviderEndpoint Describe(string role, ProviderOptions options) => new(role, options.Protocol, options.Model, options.Endpoint);
}
