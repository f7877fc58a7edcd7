using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Hosting;

/// <summary>
/// What the start-up report says about each provider, read from the provider options: protocol, model and
/// base URL, never the key. The options hold base URLs already stripped to scheme, host and path.
/// </summary>
internal sealed class ProviderEndpoints(IOptions<GemmaOptions> gemma, IOptions<OpenAIOptions> openAI)
{
    public ProviderEndpoint Orchestrator => new(ModelRole.Orchestrator, gemma.Value.Provider, gemma.Value.Model, gemma.Value.BaseUrl);

    public ProviderEndpoint Executor => new(ModelRole.Executor, ProviderProtocol.OpenAI, openAI.Value.Model, openAI.Value.BaseUrl);
}
