using AgentApi.Core;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Tests.Support;
using AgentApi.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentApi.Tests.Unit;

/// <summary>The host's map from environment variables to the configuration keys the options are bound from.</summary>
[TestFixture]
public sealed class EnvironmentVariableMapTests
{
    [Test]
    public void Options_SecondsVariable_MeansSeconds()
    {
        using var services = Services("REQUEST_TIMEOUT_SECONDS=60\nCACHE_TTL_SECONDS=0.5\n");

        Assert.Multiple(() =>
        {
            Assert.That(services.GetRequiredService<IOptions<AskOptions>>().Value.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(services.GetRequiredService<IOptions<CacheOptions>>().Value.Ttl, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
        });
    }

    [Test]
    public void Options_VariableInFileAndEnvironment_EnvironmentWins()
    {
        Environment.SetEnvironmentVariable("CACHE_MAX_ENTRIES", "7");
        try
        {
            using var services = Services("CACHE_MAX_ENTRIES=3\n", clearSources: false);

            Assert.That(services.GetRequiredService<IOptions<CacheOptions>>().Value.MaxEntries, Is.EqualTo(7));
        }
        finally
        {
            Environment.SetEnvironmentVariable("CACHE_MAX_ENTRIES", null);
        }
    }

    [Test]
    public void Options_BlankVariable_KeepsTheDefault()
    {
        using var services = Services("REQUEST_TIMEOUT_SECONDS=  \n");

        Assert.That(services.GetRequiredService<IOptions<AskOptions>>().Value.RequestTimeout, Is.EqualTo(new AskOptions().RequestTimeout));
    }

    [Test]
    public void NameOf_MappedKey_IsTheVariable()
    {
        Assert.That(EnvironmentVariableMap.Instance.NameOf("Executor:ApiKey"), Is.EqualTo("OPENAI_API_KEY"));
    }

    [Test]
    public void NameOf_UnmappedKey_IsItsEnvironmentForm()
    {
        Assert.That(EnvironmentVariableMap.Instance.NameOf("ConnectionStrings:Redis"), Is.EqualTo("ConnectionStrings__Redis"));
    }

    [Test]
    public void Variables_EachOne_IsInTheTemplateAndTheConfigurationTable()
    {
        var template = File.ReadAllText(Path.Combine(RepositoryPaths.Root, ".env.template"));
        var table = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "configuration.md"));

        Assert.Multiple(() =>
        {
            foreach (var variable in EnvironmentVariableMap.Variables)
            {
                Assert.That(template, Does.Contain(variable.Name + "="), ".env.template");
                Assert.That(table, Does.Contain($"| `{variable.Name}` |"), "docs/configuration.md, Every setting");
            }
        });
    }

    private static ServiceProvider Services(string dotEnv, bool clearSources = true)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.env");
        File.WriteAllText(path, dotEnv);
        try
        {
            var builder = WebApplication.CreateBuilder();
            if (clearSources)
            {
                builder.Configuration.Sources.Clear();
            }

            builder.AddDotEnvFile(new SettingsLocation(Path.GetTempPath(), path, [Path.GetTempPath()]));
            builder.AddEnvironmentVariableMap();
            builder.Services.AddCore();
            return builder.Services.BuildServiceProvider();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
