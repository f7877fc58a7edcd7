using AgentApi.Core.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>The OpenAI-compatible API's settings and its error writer.</summary>
internal static class OpenAICompatibleExtensions
{
    private const int MaxModelIdLength = 64;

    public static IServiceCollection AddOpenAICompatible(this IServiceCollection services)
    {
        services.AddOptions<OpenAICompatibleOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.Model = SettingReader.GetString(configuration, EnvironmentVariables.V1Model) ?? options.Model;
                options.DirectModel = SettingReader.GetString(configuration, EnvironmentVariables.V1DirectModel) ?? options.DirectModel;
            })
            .Validate(o => IsModelId(o.Model), ModelIdRule(EnvironmentVariables.V1Model))
            .Validate(o => IsModelId(o.DirectModel), ModelIdRule(EnvironmentVariables.V1DirectModel))
            .Validate(o => !string.Equals(o.Model, o.DirectModel, StringComparison.Ordinal),
                $"{EnvironmentVariables.V1Model} and {EnvironmentVariables.V1DirectModel} must differ: each id is one way through the pipeline.")
            .ValidateOnStart();

        // The problem details service asks its writers in registration order, and the framework's accepts any
        // request: this one goes first, wherever AddWeb registers the others.
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, OpenAIErrorWriter>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    private static bool IsModelId(string id) =>
        id.Length is > 0 and <= MaxModelIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/');

    private static string ModelIdRule(string variable) =>
        $"{variable} must be 1 to {MaxModelIdLength} characters of letters, digits and - _ . : /";
}
