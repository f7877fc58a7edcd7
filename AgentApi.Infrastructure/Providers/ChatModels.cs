using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers.Anthropic;
using AgentApi.Infrastructure.Providers.Gemini;
using AgentApi.Infrastructure.Providers.OpenAI;
using AgentApi.Infrastructure.Providers.Resilience;
using Microsoft.Extensions.Logging;
using Refit;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// One model client per role and provider, each over its role's HttpClient pipeline (auth, Polly, attempt handler) with the
/// provider's base address, and wrapped like every model (<see cref="ChatModelPipeline"/>). Built once at start.
/// </summary>
internal sealed class ChatModels : IChatModels
{
    private static readonly RefitSettings GeminiSettings = new(new SystemTextJsonContentSerializer(GeminiJsonContext.Default.Options));
    private static readonly RefitSettings OpenAISettings = new(new SystemTextJsonContentSerializer(OpenAIJsonContext.Default.Options));
    private static readonly RefitSettings AnthropicSettings = new(new SystemTextJsonContentSerializer(AnthropicJsonContext.Default.Options));

    private readonly Dictionary<(string Role, string Provider), IChatModel> _models = [];

    public ChatModels(
        ProviderRegistry registry,
        IHttpClientFactory clients,
        ProviderPolicies policies,
        AgentApiMetrics metrics,
        TimeProvider timeProvider,
        ILoggerFactory loggers)
    {
        foreach (var channel in registry.All)
        {
            // A client per provider: the role's handlers, the provider's base address (Refit appends each route to it).
            var http = clients.CreateClient(channel.Role);
            http.BaseAddress = channel.BaseUrl;
            IChatModel provider = channel.Protocol switch
            {
                ProviderProtocol.Gemini => new GeminiChatModel(RestService.ForGenerated<IGeminiApi>(http, GeminiSettings), http, channel, policies, loggers.CreateLogger<GeminiChatModel>()),
                ProviderProtocol.Anthropic => new AnthropicChatModel(RestService.ForGenerated<IAnthropicApi>(http, AnthropicSettings), http, channel, policies, loggers.CreateLogger<AnthropicChatModel>()),
                _ => new OpenAIChatModel(RestService.ForGenerated<IOpenAIApi>(http, OpenAISettings), http, channel, policies, loggers.CreateLogger<OpenAIChatModel>()),
            };
            _models[(channel.Role, channel.Name)] = ChatModelPipeline.Build(provider, metrics, timeProvider);
        }

        All = [.. _models.Values];
    }

    public IReadOnlyList<IChatModel> All { get; }

    public IChatModel Find(string role, string provider) =>
        _models.TryGetValue((role, provider), out var model) ? model : throw new KeyNotFoundException($"No {role} provider '{provider}' is configured.");
}
