using AgentApi.Core.Routing;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>Each way a <c>ROUTES_FILE</c> can be wrong stops start-up with a message naming the file, the route and the problem.</summary>
[TestFixture]
public sealed class RouteFileValidationTests
{
    private const string Valid = """{ "name": "general", "default": true, "description": "Anything.", "instructions": "Help." }""";

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("agentapi-routes-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestCase("{ \"routes\": [ " + Valid + ", ] ", null, "not valid JSON at line 1")]
    [TestCase("[ " + Valid + " ]", null, "a \"routes\" array")]
    [TestCase("""{ "routes": [] }""", null, "lists no routes")]
    [TestCase("""{ "routes": [ { "name": "", "default": true, "description": "d", "instructions": "i" } ] }""", "route #1", "\"name\" is missing or empty")]
    [TestCase("""{ "routes": [ { "default": true, "description": "d", "instructions": "i" } ] }""", "route #1", "\"name\" is missing or empty")]
    [TestCase("""{ "routes": [ { "name": "has space", "default": true, "description": "d", "instructions": "i" } ] }""", "route 'has space'", "letters, digits")]
    [TestCase("{ \"routes\": [ " + Valid + """, { "name": "General", "description": "d", "instructions": "i" } ] }""", "route 'General'", "already used by route #1 ('general')")]
    [TestCase("""{ "routes": [ { "name": "a", "description": "d", "instructions": "i" }, { "name": "b", "description": "d", "instructions": "i" } ] }""", null, "no route is marked \"default\": true")]
    [TestCase("""{ "routes": [ { "name": "a", "default": true, "description": "d", "instructions": "i" }, { "name": "b", "default": true, "description": "d", "instructions": "i" } ] }""", "'a', 'b'", "mark exactly one")]
    [TestCase("{ \"routes\": [ " + Valid + """, { "name": "hot", "description": "d", "instructions": "i", "temperature": 2.5 } ] }""", "route 'hot'", "\"temperature\" must be from 0 to 2 (got 2.5)")]
    [TestCase("{ \"routes\": [ " + Valid + """, { "name": "cold", "description": "d", "instructions": "i", "temperature": -0.1 } ] }""", "route 'cold'", "\"temperature\" must be from 0 to 2")]
    [TestCase("{ \"routes\": [ " + Valid + """, { "name": "long", "description": "d", "instructions": "i", "maxOutputTokens": 0 } ] }""", "route 'long'", "\"maxOutputTokens\" must be from 1 to 128000 (got 0)")]
    [TestCase("{ \"routes\": [ " + Valid + """, { "name": "long", "description": "d", "instructions": "i", "maxOutputTokens": 1000000 } ] }""", "route 'long'", "\"maxOutputTokens\" must be from 1 to 128000")]
    [TestCase("{ \"routes\": [ " + Valid + """, { "name": "half", "description": "d", "instructions": "i", "maxOutputTokens": 2.5 } ] }""", "route 'half'", "\"maxOutputTokens\" must be a whole number")]
    [TestCase("{ \"routes\": [ " + Valid + """, { "name": "typo", "description": "d", "instructions": "i", "maxTokens": 10 } ] }""", "route 'typo'", "unknown field \"maxTokens\"")]
    [TestCase("{ \"routes\": [ " + Valid + """, { "name": "bare", "description": "d" } ] }""", "route 'bare'", "\"instructions\" is missing or empty")]
    [TestCase("{ \"routes\": [ " + Valid + """, { "name": "spaced", "description": "d", "instructions": "i", "model": "gpt 4o" } ] }""", "route 'spaced'", "\"model\" must be a model id")]
    public async Task Start_InvalidRoutesFile_StopsNamingTheFileTheRouteAndTheProblem(string content, string? route, string problem)
    {
        var file = Path.Combine(_directory, "routes.json");
        File.WriteAllText(file, content);

        var exception = await StartWith(file);

        Assert.Multiple(() =>
        {
            Assert.That(exception.Message, Does.StartWith($"Routes file '{file}' (ROUTES_FILE): "));
            Assert.That(exception.Message, Does.Contain(problem));
            Assert.That(exception.Message, route is null ? Is.Not.Null : Does.Contain(route));
            Assert.That(exception.Message, Does.Not.Contain("System.").And.Not.Contain("\n"), "one line, nothing about .NET types");
        });
    }

    [Test]
    public async Task Start_RoutesFileMissing_StopsNamingTheFile()
    {
        var file = Path.Combine(_directory, "absent.json");

        var exception = await StartWith(file);

        Assert.That(exception.Message, Is.EqualTo($"Routes file '{file}' (ROUTES_FILE): the file does not exist"));
    }

    [Test]
    public async Task Start_RoutesFileWithSeveralProblems_NamesThemAll()
    {
        var file = Path.Combine(_directory, "routes.json");
        File.WriteAllText(file, """{ "routes": [ { "name": "a", "description": "d", "instructions": "i", "temperature": 9 }, { "name": "a", "description": "", "instructions": "i" } ] }""");

        var exception = await StartWith(file);

        Assert.Multiple(() =>
        {
            Assert.That(exception.Problems, Has.Count.EqualTo(4));
            Assert.That(exception.Message, Does.Contain("route 'a': \"temperature\"").And.Contain("\"description\" is missing").And.Contain("already used").And.Contain("no route is marked"));
        });
    }

    /// <summary>Starts the app with <paramref name="file"/> and returns the route table's exception from what stopped it.</summary>
    private static async Task<RouteTableException> StartWith(string file)
    {
        var exception = await AgentApiHost.StartupFailureAsync(settings => settings["ROUTES_FILE"] = file);

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is RouteTableException routes)
            {
                return routes;
            }
        }

        Assert.Fail($"Start-up did not stop with a RouteTableException: {exception}");
        throw new InvalidOperationException();
    }
}
