using AgentApi.Web.Hosting;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class DotEnvLocatorTests
{
    private string _root = null!;

    [SetUp]
    public void CreateRepository()
    {
        _root = Path.Combine(Path.GetTempPath(), "agentapi-locator", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_root, "AgentApi.Web", "bin"));
        File.WriteAllText(Path.Combine(_root, "AgentApi.sln"), string.Empty);
    }

    [TearDown]
    public void DeleteRepository() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Locate_RunFromProjectFolderWithEnvAtRepositoryRoot_FindsRootEnv()
    {
        File.WriteAllText(Path.Combine(_root, ".env"), "LOG_LEVEL=Debug\n");

        var location = DotEnvLocator.Locate(Path.Combine(_root, "AgentApi.Web"));

        Assert.Multiple(() =>
        {
            Assert.That(location.DotEnvPath, Is.EqualTo(Path.Combine(_root, ".env")));
            Assert.That(location.RootDirectory, Is.EqualTo(_root));
            Assert.That(location.Resolve("logs"), Is.EqualTo(Path.Combine(_root, "logs")), "a relative LOG_DIR lands at the root, where docs/configuration.md says");
        });
    }

    [Test]
    public void Locate_EnvInWorkingDirectoryAndAtRoot_WorkingDirectoryWins()
    {
        File.WriteAllText(Path.Combine(_root, ".env"), "LOG_LEVEL=Debug\n");
        var project = Path.Combine(_root, "AgentApi.Web");
        File.WriteAllText(Path.Combine(project, ".env"), "LOG_LEVEL=Trace\n");

        var location = DotEnvLocator.Locate(project);

        Assert.Multiple(() =>
        {
            Assert.That(location.DotEnvPath, Is.EqualTo(Path.Combine(project, ".env")));
            Assert.That(location.Resolve("logs"), Is.EqualTo(Path.Combine(project, "logs")));
        });
    }

    [Test]
    public void Locate_NoEnvAnywhereInsideRepository_NoneAndLogsAtRoot()
    {
        var location = DotEnvLocator.Locate(Path.Combine(_root, "AgentApi.Web", "bin"));

        Assert.Multiple(() =>
        {
            Assert.That(location.DotEnvPath, Is.Null);
            Assert.That(location.RootDirectory, Is.EqualTo(_root));
            Assert.That(location.Searched, Is.EqualTo(new[] { Path.Combine(_root, "AgentApi.Web", "bin"), _root }));
        });
    }

    [Test]
    public void Locate_PublishFolderOutsideAnyRepository_UsesWorkingDirectory()
    {
        var publish = Path.Combine(Path.GetTempPath(), "agentapi-publish", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(publish);
        try
        {
            File.WriteAllText(Path.Combine(publish, ".env"), "LOG_LEVEL=Debug\n");

            var location = DotEnvLocator.Locate(publish);

            Assert.Multiple(() =>
            {
                Assert.That(location.DotEnvPath, Is.EqualTo(Path.Combine(publish, ".env")));
                Assert.That(location.Resolve("/var/log/agentapi"), Is.EqualTo("/var/log/agentapi"), "an absolute LOG_DIR stays as it is");
            });
        }
        finally
        {
            Directory.Delete(publish, recursive: true);
        }
    }
}
