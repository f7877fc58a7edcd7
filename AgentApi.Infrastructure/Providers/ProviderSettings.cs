using AgentApi.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace AgentApi.Infrastructure.Providers;

/// <summary>Reads provider URLs from configuration, naming the variable when one is malformed.</summary>
internal static class ProviderSettings
{
    public static Uri? GetUrl(IConfiguration configuration, string name)
    {
        var raw = SettingReader.GetString(configuration, name);
        if (raw is null)
        {
            return null;
        }

        if (!Uri.TryCreate(raw, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidSettingException(name, $"must be an absolute http or https URL, but is '{raw}'.");
        }

        // Refit appends the route to the base path; a trailing slash would double it.
        return new Uri(url.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }
}
