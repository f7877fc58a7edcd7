using AgentApi.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace AgentApi.Infrastructure.Providers;

/// <summary>Reads provider URLs from configuration, naming the variable, never its value, when one is malformed.</summary>
internal static class ProviderSettings
{
    public static Uri? GetUrl(IConfiguration configuration, string name, string keyVariable)
    {
        var raw = SettingReader.GetString(configuration, name);
        if (raw is null)
        {
            return null;
        }

        if (!Uri.TryCreate(raw, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidSettingException(name, "must be an absolute http or https URL, such as http://localhost:11434/v1.");
        }

        // Credentials in a URL end up in logs and traces; the key goes in a header (ProviderAuthHandler).
        if (url.UserInfo.Length > 0)
        {
            throw new InvalidSettingException(name, $"must not contain credentials (user:password@): put the API key in {keyVariable}.");
        }

        // Refit appends the route to the base path; a trailing slash would double it.
        return new Uri(url.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }
}
