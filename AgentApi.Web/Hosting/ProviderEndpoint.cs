namespace AgentApi.Web.Hosting;

/// <summary>One provider as the start-up report names it.</summary>
internal sealed record ProviderEndpoint(string Role, string Protocol, string Model, Uri BaseUrl);
