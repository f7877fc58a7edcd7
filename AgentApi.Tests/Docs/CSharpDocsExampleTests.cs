using System.Xml.Linq;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Docs;

/// <summary>
/// The docs' C# examples work as written: each, pasted as <c>Program.cs</c> into a new console project outside the
/// repository (what <c>dotnet new console</c> writes, plus the reference or packages the page names), builds with
/// warnings as errors and runs against the app, which requires a caller key. Only the address and the key
/// placeholder change; the key is in <c>AGENTAPI_KEY</c>, where the examples that read one look.
/// </summary>
[TestFixture]
public sealed class CSharpDocsExampleTests
{
    private const string WithClient = "client";
    private const string WithOpenAI = "openai";

    private static readonly string[] OpenAIPackages = ["OpenAI", "Microsoft.Extensions.AI.OpenAI"];

    [TestCase("docs/clients.md", "## C#", WithClient, @"echo: Focused: What is the capital of France\?[\s\S]* \[general, \d+ tokens\]")]
    [TestCase("docs/streaming.md", "### C#", "", @"echo: Focused: What is the capital of France\?[\s\S]*\n\[\d+ tokens\]")]
    [TestCase("docs/openai-compatible.md", "## From the SDKs", WithOpenAI, @"echo: .*What is the capital of France\?[\s\S]*echo: .*And of Italy\?")]
    [CancelAfter(300_000)]
    public async Task DocsExample_InNewConsoleProject_RunsAgainstTheApp(string page, string heading, string references, string expected, CancellationToken cancellationToken)
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["AGENTAPI_API_KEYS"] = Callers.KeyA);
        var project = Path.Combine(Path.GetTempPath(), "agentapi-docs-csharp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(project);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(project, "DocsExample.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                {References(references)}
                  </ItemGroup>
                </Project>
                """, cancellationToken);
            var example = DocsSnippets.Get(page, heading, "csharp")
                .Replace("http://127.0.0.1:8000", host.BaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal)
                .Replace("your-agentapi-key", Callers.KeyA, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), example, cancellationToken);

            var (buildExit, buildOutput) = await ChildProcess.RunAsync("dotnet", ["build", "-nologo", "-v", "q"], project, null, cancellationToken);
            Assert.That(buildExit, Is.Zero, buildOutput);

            var environment = new Dictionary<string, string> { ["AGENTAPI_KEY"] = Callers.KeyA };
            var (runExit, runOutput) = await ChildProcess.RunAsync("dotnet", ["run", "--no-build"], project, environment, cancellationToken);
            await TestContext.Out.WriteLineAsync(runOutput);

            Assert.Multiple(() =>
            {
                Assert.That(runExit, Is.Zero, runOutput);
                Assert.That(runOutput.ReplaceLineEndings("\n"), Does.Match(expected));
            });
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    /// <summary>What <c>dotnet add reference</c> or <c>dotnet add package</c> adds; package versions as this repository pins them.</summary>
    private static string References(string references) => references switch
    {
        WithClient => $"""    <ProjectReference Include="{Path.Combine(RepositoryPaths.Root, "clients", "AgentApi.Client", "AgentApi.Client.csproj")}" />""",
        WithOpenAI => string.Join('\n', OpenAIPackages.Select(package =>
            $"""    <PackageReference Include="{package}" Version="{PinnedVersion(package)}" />""")),
        _ => string.Empty,
    };

    private static string PinnedVersion(string package) =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Single(element => (string?)element.Attribute("Include") == package)
            .Attribute("Version")!.Value;
}
