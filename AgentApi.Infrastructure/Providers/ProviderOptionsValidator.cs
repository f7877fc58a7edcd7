using AgentApi.Core.Configuration;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Providers;

/// <summary>Validates the options of one role; messages name the setting, never its value.</summary>
internal sealed class ProviderOptionsValidator<TOptions>(ISettingNames names) : IValidateOptions<TOptions>
    where TOptions : ProviderOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (!options.Protocols.Contains(options.Protocol))
        {
            result.AddError($"{options.NameOf(nameof(ProviderOptions.Protocol), names)} must be {string.Join(" or ", options.Protocols.Select(protocol => $"'{protocol}'"))}.");
        }

        // Gemini puts the model id in the URL path.
        if (options.Protocol == ProviderProtocol.Gemini
            && (options.Model.Contains('?', StringComparison.Ordinal) || options.Model.Contains('&', StringComparison.Ordinal) || options.Model.Contains("..", StringComparison.Ordinal)))
        {
            result.AddError($"{options.NameOf(nameof(ProviderOptions.Model), names)} must be a model id such as 'gemma-3-1b-it'.");
        }

        if (options.BaseUrl is { } baseUrl)
        {
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                result.AddError($"{options.NameOf(nameof(ProviderOptions.BaseUrl), names)} must be an absolute http or https URL, such as http://localhost:11434/v1.");
            }
            else if (url.UserInfo.Length > 0)
            {
                // Credentials in a URL end up in logs and traces; the key goes in a header (ProviderAuthHandler).
                result.AddError($"{options.NameOf(nameof(ProviderOptions.BaseUrl), names)} must not contain credentials (user:password@): put the API key in {options.NameOf(nameof(ProviderOptions.ApiKey), names)}.");
            }
        }

        return result.Build();
    }

}
