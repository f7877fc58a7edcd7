using AgentApi.Core.Configuration;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>The OpenAI-compatible API's settings and its error writer.</summary>
internal static class OpenAICompatibleExtensions
{
    public static IServiceCollection AddOpenAICompatible(this IServiceCollection services)
    {
        services.AddValidatedOptions<OpenAICompatibleOptions, OpenAICompatibleOptionsValidator>(OpenAICompatibleOptions.Section);

        // The problem details service asks its writers in registration order, and the framework's accepts any
        // request: this one goes first, wherever AddWeb registers the others.
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, OpenAIErrorWriter>());
        return services;
    }
}
