using AgentApi.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class DotEnvFileTests
{
    [Test]
    public void Read_TypicalFile_ParsesValuesCommentsQuotesAndExport()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, """
            # a comment
            OPENAI_API_KEY=sk-test
            export GEMMA_PROVIDER=openai
            LOG_LEVEL="Debug"
            OPENAI_BASE_URL='http://localhost:11434/v1'
            CACHE_TTL_SECONDS=60 # one minute
            EMPTY=
            not a setting
            """);

        var values = DotEnvFile.Read(path);

        Assert.Multiple(() =>
        {
            Assert.That(values["OPENAI_API_KEY"], Is.EqualTo("sk-test"));
            Assert.That(values["GEMMA_PROVIDER"], Is.EqualTo("openai"));
            Assert.That(values["LOG_LEVEL"], Is.EqualTo("Debug"));
            Assert.That(values["OPENAI_BASE_URL"], Is.EqualTo("http://localhost:11434/v1"));
            Assert.That(values["CACHE_TTL_SECONDS"], Is.EqualTo("60"));
            Assert.That(values["EMPTY"], Is.Empty);
            Assert.That(values, Has.Count.EqualTo(6));
        });
    }

    [Test]
    public void Read_MissingFile_ReturnsNothing()
    {
        Assert.That(DotEnvFile.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))), Is.Empty);
    }
}

[TestFixture]
public sealed class DotEnvConfigurationTests
{
    [Test]
    public void AddDotEnvFile_VariableInFileAndEnvironment_EnvironmentWins()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.env");
        File.WriteAllText(path, "DOTENVTEST_FROM_FILE=file\nDOTENVTEST_BOTH=file\n");
        Environment.SetEnvironmentVariable("DOTENVTEST_BOTH", "environment");
        try
        {
            var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();

            builder.AddDotEnvFile(new SettingsLocation(Path.GetTempPath(), path, [Path.GetTempPath()]));

            Assert.Multiple(() =>
            {
                Assert.That(builder.Configuration["DOTENVTEST_FROM_FILE"], Is.EqualTo("file"));
                Assert.That(builder.Configuration["DOTENVTEST_BOTH"], Is.EqualTo("environment"));
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOTENVTEST_BOTH", null);
        }
    }

    [Test]
    public void AddDotEnvFile_DoubleUnderscoreKey_BecomesSection()
    {
        var builder = BuilderWithDotEnv("ConnectionStrings__Redis=127.0.0.1:6379\n");

        Assert.Multiple(() =>
        {
            Assert.That(builder.Configuration["ConnectionStrings:Redis"], Is.EqualTo("127.0.0.1:6379"));
            Assert.That(builder.Configuration.GetConnectionString("Redis"), Is.EqualTo("127.0.0.1:6379"));
        });
    }

    [Test]
    public void AddDotEnvFile_AspNetCoreUrls_IsTheListenAddress()
    {
        var builder = BuilderWithDotEnv("ASPNETCORE_URLS=http://127.0.0.1:9123\n");

        builder.UseDefaultAddress("http://127.0.0.1:8000");

        Assert.That(builder.Configuration["urls"], Is.EqualTo("http://127.0.0.1:9123"));
    }

    [Test]
    public void AddDotEnvFile_AspNetCoreEnvironment_DoesNotContradictTheHost()
    {
        var builder = BuilderWithDotEnv("ASPNETCORE_ENVIRONMENT=DotEnvTest\n");

        Assert.That(builder.Configuration["environment"], Is.Not.EqualTo("DotEnvTest"));
    }

    [Test]
    public void AddDotEnvFile_MappedKeysInFileAndEnvironment_EnvironmentWins()
    {
        Environment.SetEnvironmentVariable("DOTENVTEST__SECTION", "environment");
        Environment.SetEnvironmentVariable("ASPNETCORE_DOTENVTEST", "environment");
        try
        {
            var builder = BuilderWithDotEnv("DOTENVTEST__SECTION=file\nASPNETCORE_DOTENVTEST=file\n");

            Assert.Multiple(() =>
            {
                Assert.That(builder.Configuration["DOTENVTEST:SECTION"], Is.EqualTo("environment"));
                Assert.That(builder.Configuration["DOTENVTEST"], Is.EqualTo("environment"));
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOTENVTEST__SECTION", null);
            Environment.SetEnvironmentVariable("ASPNETCORE_DOTENVTEST", null);
        }
    }

    private static WebApplicationBuilder BuilderWithDotEnv(string contents)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.env");
        File.WriteAllText(path, contents);
        try
        {
            var builder = WebApplication.CreateBuilder();
            builder.AddDotEnvFile(new SettingsLocation(Path.GetTempPath(), path, [Path.GetTempPath()]));
            return builder;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
