using AgentApi.Core.Ask;
using AgentApi.Core.Configuration;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;
using AgentApi.Core.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// The channel of every provider each role calls, built once at start: the built-in <c>openai</c> (<c>OPENAI_*</c>) and
/// <c>gemini</c> (<c>GEMMA_*</c>) providers and the routes file's table. The executor gets every provider its routes name
/// (and the built-in <c>openai</c>); the orchestrator gets its own. What the routes file alone cannot check is checked here:
/// a protocol AgentApi does not speak, a key variable that is not set.
/// </summary>
internal sealed class ProviderRegistry
{
    private static readonly string[] Protocols = [ProviderProtocol.OpenAI, ProviderProtocol.Gemini, ProviderProtocol.Anthropic];

    private readonly Dictionary<(string Role, string Provider), ProviderChannel> _channels = [];

    public ProviderRegistry(
        IOptions<ExecutorOptions> executor,
        IOptions<OrchestratorOptions> orchestrator,
        IOptions<AskOptions> ask,
        RouteTable routes,
        IConfiguration configuration,
        ISettingNames names,
        IOptions<TracingOptions> tracing)
    {
        var timeouts = new Dictionary<string, TimeSpan>
        {
            [ModelRole.Executor] = ask.Value.ExecutorAttemptTimeout,
            [ModelRole.Orchestrator] = ask.Value.OrchestratorAttemptTimeout,
        };
        var table = routes.Providers.ToDictionary(provider => provider.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var provider in routes.Providers)
        {
            Check(provider, configuration, problems);
        }

        if (problems.Count > 0)
        {
            throw new RouteTableException(routes.Source, problems);
        }

        ProviderChannel Channel(string role, string provider, string model)
        {
            var capture = tracing.Value.CaptureMessageContent;
            if (table.TryGetValue(provider, out var definition))
            {
                return FromTable(definition, role, model, timeouts[role], configuration) with { CaptureMessageContent = capture };
            }

            var options = provider == BuiltInProviders.Orchestrator ? (ProviderOptions)orchestrator.Value : executor.Value;
            return options.ToChannel(role, timeouts[role], names) with { Name = provider, Model = model, CaptureMessageContent = capture };
        }

        var planner = routes.Orchestrator ?? new ModelTarget(BuiltInProviders.Orchestrator, orchestrator.Value.Model);
        Orchestrator = Channel(ModelRole.Orchestrator, planner.Provider, planner.Model);
        Add(Orchestrator);

        var configured = new ModelTarget(BuiltInProviders.Executor, executor.Value.Model);
        Executor = Channel(ModelRole.Executor, configured.Provider, configured.Model);
        Add(Executor);
        foreach (var target in routes.Routes.SelectMany(route => routes.TargetsOf(route, configured)))
        {
            if (!_channels.ContainsKey((ModelRole.Executor, target.Provider)))
            {
                Add(Channel(ModelRole.Executor, target.Provider, target.Model));
            }
        }
    }

    /// <summary>The executor's configured provider (<c>openai</c>, <c>OPENAI_*</c>): the model of routes that name none.</summary>
    public ProviderChannel Executor { get; }

    /// <summary>The orchestrator's provider: the routes file's <c>orchestrator</c>, or <c>gemini</c> (<c>GEMMA_*</c>).</summary>
    public ProviderChannel Orchestrator { get; }

    /// <summary>Every channel: the orchestrator's, the executor's configured one, then the other providers the routes name.</summary>
    public IEnumerable<ProviderChannel> All => _channels.Values;

    public bool TryFind(string role, string provider, out ProviderChannel channel) => _channels.TryGetValue((role, provider), out channel!);

    private void Add(ProviderChannel channel) => _channels[(channel.Role, channel.Name)] = channel;

    private static ProviderChannel FromTable(ProviderDefinition provider, string role, string model, TimeSpan attemptTimeout, IConfiguration configuration)
    {
        var key = provider.ApiKeyVariable is { } variable ? configuration[variable] : null;
        var baseUrl = provider.BaseUrl is { } url
            ? new Uri(new Uri(url, UriKind.Absolute).GetLeftPart(UriPartial.Path).TrimEnd('/'))
            : DefaultEndpoint(provider.Protocol);
        return new ProviderChannel(role, provider.Protocol, baseUrl, string.IsNullOrEmpty(key) ? null : key, model, MissingSetting: null, attemptTimeout)
        {
            Name = provider.Name,
            ApiKeySetting = provider.ApiKeyVariable ?? "the provider's apiKeyVariable in the routes file",
            Headers = provider.Headers,
        };
    }

    private static Uri DefaultEndpoint(string protocol) => protocol switch
    {
        ProviderProtocol.Gemini => OrchestratorOptions.GeminiBaseUrl,
        ProviderProtocol.Anthropic => ExecutorOptions.AnthropicBaseUrl,
        _ => ExecutorOptions.OpenAIBaseUrl,
    };

    private static void Check(ProviderDefinition provider, IConfiguration configuration, List<string> problems)
    {
        var label = $"provider '{provider.Name}'";
        if (!Protocols.Contains(provider.Protocol, StringComparer.Ordinal))
        {
            problems.Add($"{label}: protocol \"{provider.Protocol}\" is not one AgentApi speaks; it is {string.Join(", ", Protocols.Select(p => $"\"{p}\""))}");
        }

        if (provider.ApiKeyVariable is { } variable)
        {
            if (string.IsNullOrEmpty(configuration[variable]))
            {
                problems.Add($"{label}: its key variable {variable} is not set (set it in the environment or .env)");
            }
        }
        else if (provider.Protocol != ProviderProtocol.OpenAI)
        {
            problems.Add($"{label}: protocol \"{provider.Protocol}\" needs a key; name its variable in \"apiKeyVariable\"");
        }
    }
}
