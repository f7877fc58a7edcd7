using AgentApi.Core.Providers;
using AgentApi.Core.Routing;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Providers;

/// <summary>Issue 23: the routes file's provider table and each route's <c>provider/model</c> and fallbacks, checked at start.</summary>
[TestFixture]
public sealed class ProviderTableTests
{
    private const string Source = "Routes file 'routes.json' (ROUTES_FILE)";

    private static readonly ModelTarget Configured = new(BuiltInProviders.Executor, "gpt-4o-mini");
    private static readonly string[] GeneralModels = ["openai/gpt-4o-mini", "anthropic/claude-haiku-4-5", "gemini/gemini-2.5-flash"];
    private static readonly string[] UnsetModels = ["openai/gpt-4o-mini", "anthropic/claude-sonnet-4-5"];

    [Test]
    public void Parse_ProvidersAndFallbacks_EachRouteIsItsModelsInOrder()
    {
        var table = RouteTableLoader.Parse(File(
            """{ "name": "anthropic", "protocol": "anthropic", "baseUrl": "https://api.anthropic.com/v1", "apiKeyVariable": "ANTHROPIC_API_KEY" }""",
            """{ "name": "general", "default": true, "description": "d", "instructions": "i", "model": "openai/gpt-4o-mini", "fallbacks": ["anthropic/claude-haiku-4-5", "gemini/gemini-2.5-flash"] }""",
            """{ "name": "bare", "description": "d", "instructions": "i", "model": "gpt-4o" }""",
            """{ "name": "hugging", "description": "d", "instructions": "i", "model": "openai/meta-llama/Llama-3.1-8B" }""",
            """{ "name": "unset", "description": "d", "instructions": "i", "fallbacks": ["anthropic/claude-sonnet-4-5"] }"""), Source);

        Assert.Multiple(() =>
        {
            Assert.That(table.Providers.Single().Name, Is.EqualTo("anthropic"));
            Assert.That(table.TargetsOf(table.Routes[0], Configured).Select(t => t.ToString()), Is.EqualTo(GeneralModels));
            Assert.That(table.TargetsOf(table.Routes[1], Configured).Single(), Is.EqualTo(new ModelTarget("openai", "gpt-4o")), "a bare model id is the built-in openai provider's");
            Assert.That(table.TargetsOf(table.Routes[2], Configured).Single(), Is.EqualTo(new ModelTarget("openai", "meta-llama/Llama-3.1-8B")));
            Assert.That(table.TargetsOf(table.Routes[3], Configured).Select(t => t.ToString()), Is.EqualTo(UnsetModels), "no model: the configured one, then the fallbacks");
        });
    }

    [Test]
    public void Parse_Fallbacks_ArePartOfTheTablesHash()
    {
        var without = RouteTableLoader.Parse(File(string.Empty, """{ "name": "general", "default": true, "description": "d", "instructions": "i" }"""), Source);
        var with = RouteTableLoader.Parse(File(string.Empty, """{ "name": "general", "default": true, "description": "d", "instructions": "i", "fallbacks": ["gemini/gemini-2.5-flash"] }"""), Source);

        Assert.That(with.Hash, Is.Not.EqualTo(without.Hash), "answers made under other fallbacks are keyed apart, like any change of the table");
    }

    [TestCase("""{ "name": "general", "default": true, "description": "d", "instructions": "i", "model": "antropic/claude-haiku-4-5" }""",
        "route 'general': \"model\" names provider 'antropic', which is not defined (the providers are 'gemini', 'openai')")]
    [TestCase("""{ "name": "general", "default": true, "description": "d", "instructions": "i", "fallbacks": ["claude-haiku-4-5"] }""",
        "route 'general': \"fallbacks\" entry 'claude-haiku-4-5' must be written provider/model")]
    [TestCase("""{ "name": "general", "default": true, "description": "d", "instructions": "i", "fallbacks": ["azure/gpt-4o"] }""",
        "route 'general': \"fallbacks\" entry 'azure/gpt-4o' names provider 'azure', which is not defined")]
    [TestCase("""{ "name": "general", "default": true, "description": "d", "instructions": "i", "model": "openai/gpt-4o", "fallbacks": ["openai/gpt-4o"] }""",
        "is already the route's model or an earlier fallback")]
    [TestCase("""{ "name": "general", "default": true, "description": "d", "instructions": "i", "fallbacks": "gemini/gemini-2.5-flash" }""",
        "route 'general': \"fallbacks\" must be an array of strings")]
    public void Parse_RouteNamesAModelBadly_FailsNamingTheRouteAndTheProblem(string route, string problem)
    {
        var exception = Assert.Throws<RouteTableException>(() => RouteTableLoader.Parse(File(string.Empty, route), Source));

        Assert.That(exception!.Message, Does.StartWith(Source).And.Contain(problem));
    }

    [TestCase("""{ "name": "openai", "protocol": "openai", "baseUrl": "https://example.com/v1" }""", "provider 'openai': the name is built in")]
    [TestCase("""{ "name": "azure", "protocol": "openai", "baseUrl": "https://example.com/v1", "headers": { "Authorization": "Bearer sk-1" } }""",
        "provider 'azure': header \"Authorization\" would carry a key in the file")]
    [TestCase("""{ "name": "azure", "protocol": "openai", "baseUrl": "https://user:pw@example.com/v1" }""", "provider 'azure': \"baseUrl\" must be an absolute http or https URL without credentials")]
    [TestCase("""{ "name": "azure", "protocol": "openai", "apiKeyVariable": "sk-proj-abc123" }""", "provider 'azure': \"apiKeyVariable\" must name an environment variable")]
    [TestCase("""{ "name": "azure", "baseUrl": "https://example.com/v1" }""", "provider 'azure': \"protocol\" is missing")]
    [TestCase("""{ "name": "azure", "protocol": "openai", "region": "eu" }""", "provider 'azure': unknown field \"region\"")]
    public void Parse_ProviderBroken_FailsNamingTheProviderAndTheProblem(string provider, string problem)
    {
        var exception = Assert.Throws<RouteTableException>(() => RouteTableLoader.Parse(
            File(provider, """{ "name": "general", "default": true, "description": "d", "instructions": "i" }"""), Source));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Message, Does.StartWith(Source).And.Contain(problem));
            Assert.That(exception.Message, Does.Not.Contain("sk-1").And.Not.Contain("pw@"), "a value that may be a secret is never echoed");
        });
    }

    [TestCase("bedrock", null, "provider 'extra': protocol \"bedrock\" is not one AgentApi speaks")]
    [TestCase("openai", "EXTRA_API_KEY", "provider 'extra': its key variable EXTRA_API_KEY is not set")]
    public async Task Start_ProviderTheServiceCannotCall_FailsNamingTheFileTheProviderAndTheProblem(string protocol, string? variable, string problem)
    {
        var directory = Directory.CreateTempSubdirectory("agentapi-provider-table").FullName;
        try
        {
            var routes = Path.Combine(directory, "routes.json");
            var key = variable is null ? string.Empty : $", \"apiKeyVariable\": \"{variable}\"";
            await System.IO.File.WriteAllTextAsync(routes, File(
                $$"""{ "name": "extra", "protocol": "{{protocol}}", "baseUrl": "http://127.0.0.1:9/v1"{{key}} }""",
                """{ "name": "general", "default": true, "description": "d", "instructions": "i", "fallbacks": ["extra/some-model"] }"""));

            var exception = await AgentApiHost.StartupFailureAsync(settings => settings["ROUTES_FILE"] = routes);

            Assert.That(exception.ToString(), Does.Contain($"Routes file '{routes}' (ROUTES_FILE)").And.Contain(problem));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string File(string provider, params string[] routes) =>
        $$"""{ {{(provider.Length == 0 ? string.Empty : $"\"providers\": [ {provider} ],")}} "routes": [ {{string.Join(", ", routes)}} ] }""";
}
