using AgentApi.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace AgentApi.Infrastructure.Providers;

/// <summary>Where and how one role's model is called.</summary>
public abstract class ProviderOptions
{
    private string _protocol;

    private protected ProviderOptions(string protocol, string model)
    {
        _protocol = protocol;
        Model = model;
    }

    /// <summary>The wire protocol, one of <see cref="Protocols"/> (<see cref="ProviderProtocol"/>), in any case.</summary>
    public string Protocol
    {
        get => _protocol;
        set => _protocol = value.ToLowerInvariant();
    }

    /// <summary>The provider's API key, sent in a header; null when not set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model id.</summary>
    public string Model { get; set; }

    /// <summary>An absolute http or https URL without credentials; null for the protocol's default.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The protocols this role can speak (<see cref="ProviderProtocol"/>).</summary>
    internal virtual IReadOnlyList<string> Protocols { get; } = [ProviderProtocol.Gemini, ProviderProtocol.OpenAI];

    /// <summary>Whether calls need <see cref="ApiKey"/>; without it the role reports itself not configured.</summary>
    public abstract bool IsApiKeyRequired { get; }

    /// <summary><see cref="BaseUrl"/> as Refit needs it (query and trailing slash removed), or the default for <see cref="Protocol"/>.</summary>
    public Uri Endpoint =>
        BaseUrl is null ? DefaultEndpoint
        // Refit appends the route to the base path; a trailing slash would double it.
        : new Uri(new Uri(BaseUrl, UriKind.Absolute).GetLeftPart(UriPartial.Path).TrimEnd('/'));

    private protected abstract Uri DefaultEndpoint { get; }

    /// <summary>The configuration section of the options.</summary>
    private protected abstract string SectionName { get; }

    /// <summary>The name an operator sets for <paramref name="property"/> of these options.</summary>
    internal string NameOf(string property, ISettingNames names) => names.NameOf(ConfigurationPath.Combine(SectionName, property));

    internal ProviderChannel ToChannel(string role, TimeSpan attemptTimeout, ISettingNames names)
    {
        var apiKeySetting = NameOf(nameof(ApiKey), names);
        return new(role, Protocol, Endpoint, ApiKey, Model, IsApiKeyRequired && ApiKey is null ? apiKeySetting : null, attemptTimeout)
        {
            ApiKeySetting = apiKeySetting,
        };
    }
}
