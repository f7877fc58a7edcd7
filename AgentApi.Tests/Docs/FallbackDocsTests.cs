using System.Text.Json;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Docs;

/// <summary>docs/routes.md's provider table example, saved as the routes file, starts and routes as the page says.</summary>
[TestFixture]
public sealed class FallbackDocsTests
{
    private static readonly string[] ExpectedProviders = ["orchestrator gemini gemini", "executor openai openai", "executor anthropic anthropic", "executor azure openai"];
    private static readonly string[] ExpectedFallbacks = ["anthropic/claude-haiku-4-5", "azure/gpt-4o-mini"];

    [Test]
    public async Task ProvidersExample_LoadedAsTheRoutesFile_StartsAndRoutesAsDescribed()
    {
        var directory = Directory.CreateTempSubdirectory("agentapi-docs-providers").FullName;
        try
        {
            var file = Path.Combine(directory, "routes.json");
            await File.WriteAllTextAsync(file, DocsSnippets.Get("docs/routes.md", "## Providers and fallbacks", "json"));
            await using var host = await AgentApiHost.StartAsync(settings =>
            {
                settings["ROUTES_FILE"] = file;
                settings["AZURE_OPENAI_API_KEY"] = "test-azure-key";
                settings["ANTHROPIC_API_KEY"] = "test-anthropic-key";
            });

            using var routesResponse = await host.Client.GetAsync(new Uri("/api/routes", UriKind.Relative));
            var general = (await AgentApiHost.JsonAsync(routesResponse)).GetProperty("routes")[0];
            using var healthResponse = await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
            var providers = (await AgentApiHost.JsonAsync(healthResponse)).GetProperty("providers").EnumerateArray()
                .Select(p => $"{Text(p, "role")} {Text(p, "provider")} {Text(p, "protocol")}");

            Assert.Multiple(() =>
            {
                Assert.That($"{Text(general, "provider")}/{Text(general, "model")}", Is.EqualTo("openai/gpt-4o-mini"));
                Assert.That(general.GetProperty("fallbacks").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(ExpectedFallbacks));
                Assert.That(providers, Is.EqualTo(ExpectedProviders));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string? Text(JsonElement element, string property) => element.GetProperty(property).GetString();
}
