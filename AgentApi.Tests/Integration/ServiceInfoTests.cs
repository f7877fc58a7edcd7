using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>What the service says about itself: one version everywhere, where its endpoints are, and its uptime.</summary>
[TestFixture]
public sealed partial class ServiceInfoTests : HostedFixture
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["LOG_LEVEL"] = "Information";

    [Test]
    public async Task Version_EveryPlaceItIsShown_IsTheOneInDirectoryBuildProps()
    {
        var declared = XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Build.props")).Descendants("Version").Single().Value;
        var assembly = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var home = (await GetJsonAsync("/")).GetProperty("version").GetString();
        var health = (await GetJsonAsync("/healthz")).GetProperty("version").GetString();
        var contract = (await GetJsonAsync("/openapi/v1.json")).GetProperty("info").GetProperty("version").GetString();
        string? logged = null;
        await Eventually.TrueAsync(() => (logged = StartLine().Match(Callers.ReadLogs(Host.LogDirectory, "agentapi.log")).Groups[1].Value) is { Length: > 0 },
            TimeSpan.FromSeconds(10), "the start-up line");

        Assert.Multiple(() =>
        {
            Assert.That(assembly, Is.EqualTo(declared), "assembly");
            Assert.That(home, Is.EqualTo(declared), "GET /");
            Assert.That(health, Is.EqualTo(declared), "GET /healthz");
            Assert.That(contract, Is.EqualTo(declared), "/openapi/v1.json");
            Assert.That(logged, Is.EqualTo(declared), "the start-up line");
        });
    }

    [Test]
    public async Task GetServiceDescription_Links_EveryDocumentedPathAndTheOpenAICompatibleApi()
    {
        var links = (await GetJsonAsync("/")).GetProperty("links").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString());
        var documented = (await GetJsonAsync("/openapi/v1.json")).GetProperty("paths").EnumerateObject().Select(p => p.Name).Where(p => p != "/");

        Assert.Multiple(() =>
        {
            Assert.That(links.Values, Is.SupersetOf(documented), "every path in /docs is linked");
            Assert.That(links["askStream"], Is.EqualTo("/api/ask/stream"));
            Assert.That(links["chatCompletions"], Is.EqualTo("/v1/chat/completions"));
            Assert.That(links["models"], Is.EqualTo("/v1/models"));
            Assert.That(links["docs"], Is.EqualTo("/docs"));
        });
    }

    [Test]
    public async Task GetHealth_FirstRequest_UptimeCountsFromTheProcessStart()
    {
        using var process = Process.GetCurrentProcess();
        var processAge = DateTime.Now - process.StartTime;
        Assume.That(processAge.TotalSeconds, Is.GreaterThan(2), "the process is old enough to tell its start from the first request");

        var uptime = (await GetJsonAsync("/healthz")).GetProperty("uptimeSeconds").GetDouble();

        Assert.That(uptime, Is.EqualTo(processAge.TotalSeconds).Within(1.5), "the in-process app's process is the test's");
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Host.Client.GetAsync(new Uri(path, UriKind.Relative));
        return await AgentApiHost.JsonAsync(response);
    }

    [GeneratedRegex(@"StartupReport: AgentApi (\S+) listening on ")]
    private static partial Regex StartLine();
}
