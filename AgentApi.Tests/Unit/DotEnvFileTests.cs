using AgentApi.Web.Infrastructure;

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

            builder.AddDotEnvFile(path);

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
}
