using AgentApi.Tests.Support;

namespace AgentApi.Tests.Clients;

/// <summary>
/// The README's C# example compiles as written: pasted as <c>Program.cs</c> into a new console project outside
/// the repository that references <c>clients/AgentApi.Client</c> the way the README says.
/// </summary>
[TestFixture]
public sealed class CSharpReadmeExampleTests
{
    [Test]
    [CancelAfter(300_000)]
    public async Task ReadmeExample_InNewConsoleProject_Compiles(CancellationToken cancellationToken)
    {
        var project = Path.Combine(Path.GetTempPath(), "agentapi-readme-csharp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(project);
        try
        {
            var client = Path.Combine(RepositoryPaths.Root, "clients", "AgentApi.Client", "AgentApi.Client.csproj");
            // What `dotnet new console` writes, plus the reference `dotnet add reference` adds.
            await File.WriteAllTextAsync(Path.Combine(project, "ReadmeExample.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{client}" />
                  </ItemGroup>
                </Project>
                """, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), ReadmeSnippets.Get("### C#", "csharp"), cancellationToken);

            var (exitCode, output) = await ChildProcess.RunAsync("dotnet", ["build", "-nologo", "-v", "q"], project, null, cancellationToken);

            Assert.That(exitCode, Is.Zero, output);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }
}
