using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>
/// A configuration error as an operator meets it: the built app run as a program (<c>dotnet AgentApi.Web.dll</c>) in a
/// folder laid out like the repository stops with one line naming the variable or file and the problem, no stack
/// trace, and exit code 1. In-process hosts get the exception itself (<see cref="ConfigurationTests"/>, <see cref="RouteFileValidationTests"/>).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class StartupFailureTests
{
    private const string Typo = """
        { "routes": [
          { "name": "general", "default": true, "description": "Anything.", "instructions": "Help." },
          { "name": "coding", "description": "Code.", "instructions": "Code well.", "maxTokens": 10 }
        ] }
        """;

    private string _root = null!;

    [SetUp]
    public void CreateRepository()
    {
        _root = Path.Combine(Path.GetTempPath(), "agentapi-start-failure", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_root, "AgentApi.Web"));
        File.Copy(Path.Combine(RepositoryPaths.Root, "AgentApi.sln"), Path.Combine(_root, "AgentApi.sln"));
        File.WriteAllText(Path.Combine(_root, "routes.json"), Typo);
        File.WriteAllText(Path.Combine(_root, "not-a-folder"), string.Empty);
    }

    [TearDown]
    public void DeleteRepository() => Directory.Delete(_root, recursive: true);

    [TestCase("ROUTES_FILE", "routes.json", "ROUTES_FILE): route 'coding': unknown field \"maxTokens\"; the fields are ")]
    [TestCase("ROUTES_FILE", "absent.json", "absent.json' (ROUTES_FILE): the file does not exist")]
    [TestCase("AGENTAPI_API_KEYS_FILE", "absent-callers", "AGENTAPI_API_KEYS_FILE must name a readable file")]
    [TestCase("CACHE_TTL_SECONDS", "soon", "CACHE_TTL_SECONDS must be a finite number.")]
    [TestCase("RETRY_MAX_ATTEMPTS", "0", "RETRY_MAX_ATTEMPTS")]
    [TestCase("MAX_CONNECTIONS", "0", "MAX_CONNECTIONS must be from 1 to")]
    [TestCase("CORS_ORIGINS", "app.example.com", "CORS_ORIGINS must list origins")]
    [TestCase("ALLOWED_HOSTS", "https://api.example.com/", "ALLOWED_HOSTS must list host names")]
    [TestCase("LOG_LEVEL", "Loud", "LOG_LEVEL must be one of")]
    [TestCase("LOG_DIR", "not-a-folder/logs", "LOG_DIR names a folder that cannot be created")]
    [CancelAfter(60_000)]
    public async Task Start_ConfigurationError_OneLineNamingTheProblemAndExitCode1(string variable, string value, string problem, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync(new() { [variable] = value }, cancellationToken);
        var lines = Lines(output);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), output);
            Assert.That(lines, Has.Count.EqualTo(1), output);
            Assert.That(lines.FirstOrDefault(), Does.Contain("AgentApi cannot start: ").And.Contain(problem));
            Assert.That(output, Does.Not.Contain("Unhandled exception").And.Not.Contain("Exception").And.Not.Match(@"(?m)^\s+at "), "no stack trace");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Start_TwoSettingsBreakTheirRules_OneLineNamingBoth(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync(new() { ["RETRY_MAX_ATTEMPTS"] = "0", ["CACHE_MAX_ENTRIES"] = "0" }, cancellationToken);
        var lines = Lines(output);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), output);
            Assert.That(lines, Has.Count.EqualTo(1), output);
            Assert.That(lines.FirstOrDefault(), Does.Contain("RETRY_MAX_ATTEMPTS").And.Contain("CACHE_MAX_ENTRIES"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Start_RoutesFileWithATypo_TheLogFileHoldsTheSameLine(CancellationToken cancellationToken)
    {
        var (_, output) = await RunAsync(new() { ["ROUTES_FILE"] = "routes.json" }, cancellationToken);
        var logged = File.ReadAllLines(Path.Combine(_root, "logs", "agentapi.log"));

        Assert.Multiple(() =>
        {
            Assert.That(logged, Has.Length.EqualTo(1));
            Assert.That(logged.FirstOrDefault(), Does.Contain(" FATAL ").And.Contain("unknown field \"maxTokens\""));
            Assert.That(Lines(output).FirstOrDefault(), Is.EqualTo(logged.FirstOrDefault()), "the console says the same");
        });
    }

    /// <summary>Runs the built app in <c>AgentApi.Web/</c> as <c>dotnet run --project AgentApi.Web</c> does, configured by its environment.</summary>
    private async Task<(int ExitCode, string Output)> RunAsync(Dictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["GEMMA_API_KEY"] = "gemma-key-for-a-start-that-fails",
            ["OPENAI_API_KEY"] = "openai-key-for-a-start-that-fails",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["WARMUP_ASKS"] = "0",
            ["LOG_LEVEL"] = "Information",
            ["LOG_DIR"] = "logs",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return await ChildProcess.RunAsync("dotnet", [RepositoryPaths.BuiltApp], Path.Combine(_root, "AgentApi.Web"), environment, cancellationToken);
    }

    private static List<string> Lines(string output) => [.. output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)];
}
