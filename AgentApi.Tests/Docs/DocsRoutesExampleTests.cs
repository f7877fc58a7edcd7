using System.Text.Json;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Docs;

/// <summary>docs/routes.md's example routes file, saved as <c>routes.json</c> and named by <c>ROUTES_FILE</c>, is the table the page describes.</summary>
[TestFixture]
public sealed class DocsRoutesExampleTests
{
    // Everything else on general, on OPENAI_EXECUTOR_MODEL; coding on gpt-4o; smalltalk on the cheapest model.
    private static readonly string[] ExpectedRoutes = ["general gpt-4o-mini default True", "coding gpt-4o default False", "smalltalk gpt-4o-mini default False"];

    [Test]
    public async Task RoutesExample_LoadedAsTheRoutesFile_IsTheTableTheDocsDescribe()
    {
        var directory = Path.Combine(Path.GetTempPath(), "agentapi-docs-routes", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var file = Path.Combine(directory, "routes.json");
            await File.WriteAllTextAsync(file, DocsSnippets.Get("docs/routes.md", "## The routes file", "json"));
            await using var host = await AgentApiHost.StartAsync(settings => settings["ROUTES_FILE"] = file);

            using var response = await host.Client.GetAsync(new Uri("/api/routes", UriKind.Relative));
            var routes = (await AgentApiHost.JsonAsync(response)).GetProperty("routes").EnumerateArray()
                .Select(route => $"{Text(route, "name")} {Text(route, "model")} default {route.GetProperty("default").GetBoolean()}");

            Assert.That(routes, Is.EqualTo(ExpectedRoutes));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string? Text(JsonElement element, string property) => element.GetProperty(property).GetString();
}
