namespace AgentApi.Web.Home;

/// <summary>What this service is and where its endpoints are.</summary>
/// <param name="Name">Service name.</param>
/// <param name="Version">Service version.</param>
/// <param name="Description">One line on what it does.</param>
/// <param name="Links">Endpoint paths by name.</param>
public sealed record ServiceDescription(string Name, string Version, string Description, IReadOnlyDictionary<string, string> Links);
