namespace AgentApi.Tests.Support;

/// <summary>Test questions. Fixtures share one app and its cache, so each test asks its own question.</summary>
public static class Queries
{
    public static string Unique(string text) => $"{text} ({Guid.NewGuid():N})";
}
