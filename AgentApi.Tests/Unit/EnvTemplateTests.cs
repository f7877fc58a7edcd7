using AgentApi.Core;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Callers;
using AgentApi.Core.Routing;
using AgentApi.Infrastructure;
using AgentApi.Infrastructure.Providers;
using AgentApi.Infrastructure.Providers.Resilience;
using AgentApi.Web.Hosting;
using AgentApi.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentApi.Tests.Unit;

/// <summary><c>.env.template</c> copied to <c>.env</c>, as the README says to set up.</summary>
[TestFixture]
public sealed class EnvTemplateTests
{
    private static string Template => Path.Combine(RepositoryPaths.Root, ".env.template");

    [Test]
    public void Template_CopiedAsIs_IsValidConfiguration()
    {
        using var services = ServicesFromDotEnv(File.ReadAllText(Template));

        Assert.Multiple(() =>
        {
            Assert.That(() => services.GetRequiredService<IOptions<AskOptions>>().Value, Throws.Nothing);
            Assert.That(() => services.GetRequiredService<IOptions<CacheOptions>>().Value, Throws.Nothing);
            Assert.That(() => services.GetRequiredService<IOptions<ResilienceOptions>>().Value, Throws.Nothing);
            Assert.That(() => services.GetRequiredService<IOptions<ExecutorOptions>>().Value, Throws.Nothing);
            Assert.That(services.GetRequiredService<IOptions<OrchestratorOptions>>().Value.Endpoint, Is.EqualTo(OrchestratorOptions.GeminiBaseUrl));
            Assert.That(services.GetRequiredService<IOptions<CallerOptions>>().Value.IsOpen, Is.True, "the template sets no key");
            Assert.That(services.GetRequiredService<RouteTable>(), Is.SameAs(BuiltInRoutes.Table));
        });
    }

    [Test]
    public void Template_CopiedWithGemmaProviderOpenAI_OrchestratorGetsTheOllamaDefault()
    {
        using var services = ServicesFromDotEnv(File.ReadAllText(Template) + "\nGEMMA_PROVIDER=openai\n");

        Assert.That(services.GetRequiredService<IOptions<OrchestratorOptions>>().Value.Endpoint, Is.EqualTo(new Uri("http://localhost:11434/v1")));
    }

    private static ServiceProvider ServicesFromDotEnv(string contents)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.env");
        File.WriteAllText(path, contents);
        try
        {
            var builder = WebApplication.CreateBuilder();
            // Only the file: the developer's own environment must not change what the template means.
            builder.Configuration.Sources.Clear();
            builder.AddDotEnvFile(new SettingsLocation(Path.GetTempPath(), path, [Path.GetTempPath()]));
            builder.AddEnvironmentVariableMap();
            builder.Services.AddCore().AddInfrastructure(builder.Configuration);
            return builder.Services.BuildServiceProvider();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
