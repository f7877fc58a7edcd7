using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Configuration;

/// <summary>How every AgentApi options class is registered.</summary>
public static class OptionsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from the configuration section <paramref name="section"/> and
    /// validates it with <typeparamref name="TValidator"/> when the host starts, so a bad setting stops start-up.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services;
    }
}
