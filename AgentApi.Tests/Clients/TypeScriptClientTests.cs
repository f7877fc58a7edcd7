using System.Diagnostics;
using AgentApi.Tests.Docs;
using AgentApi.Tests.Support;
using Win32Exception = System.ComponentModel.Win32Exception;

namespace AgentApi.Tests.Clients;

/// <summary>
/// Runs clients/typescript's <c>node --test</c> suite against the real app: the TypeScript client NSwag
/// generated from the committed contract (written by the clients/AgentApi.Client build), compiled by tsc.
/// </summary>
[TestFixture]
[Category("TypeScript")]
public sealed class TypeScriptClientTests
{
    private static readonly string Npm = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";

    [Test]
    [CancelAfter(180_000)]
    public async Task NodeTestSuite_AgainstRunningApp_Passes(CancellationToken cancellationToken)
    {
        if (!await CanRunAsync("node", cancellationToken) || !await CanRunAsync(Npm, cancellationToken))
        {
            Assert.Ignore("node and npm are not on PATH: the TypeScript client was not tested.");
        }

        var directory = RepositoryPaths.TypeScriptClient;
        Assert.That(Path.Combine(directory, "src", "generated", "agentApiClient.ts"), Does.Exist,
            "The generated client is missing: building clients/AgentApi.Client writes it.");
        if (NeedsInstall(directory))
        {
            await RunAsync(Npm, ["ci", "--no-audit", "--no-fund"], directory, null, cancellationToken);
        }

        await RunAsync(Npm, ["run", "build"], directory, null, cancellationToken);
        await using var host = await AgentApiHost.StartAsync(settings => settings["AGENTAPI_API_KEYS"] = Callers.KeyA);
        var output = await RunAsync("node", ["--test", "dist/test/"], directory, host.BaseUrl, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Match(@"# pass [1-9]"), "node --test ran no test");
            Assert.That(output, Does.Contain("# fail 0"));
            Assert.That(output, Does.Contain("# skipped 0"));
        });
    }

    /// <summary>
    /// The docs' TypeScript examples, saved as the page says (beside the generated client, or beside the stream reader),
    /// compiled and run by the commands of docs/clients.md, in a folder inside clients/typescript whose node_modules
    /// holds the TypeScript and Node types the page has a reader install: only the <c>npm</c> lines, which fetch those,
    /// are not run. Only the address changes: the app listens on a free port, not 8000, and requires the key in
    /// <c>AGENTAPI_KEY</c>.
    /// </summary>
    [TestCase("docs/clients.md", "## TypeScript", @"echo: Focused: What is the capital of France\?[\s\S]* \[general, \d+ tokens\]")]
    [TestCase("docs/streaming.md", "### TypeScript", @"echo: Focused: What is the capital of France\?[\s\S]*\n\[\d+ tokens\]")]
    [CancelAfter(180_000)]
    public async Task DocsExample_CompiledAsTheDocsSay_PrintsTheAnswer(string page, string heading, string expected, CancellationToken cancellationToken)
    {
        if (!await CanRunAsync("node", cancellationToken) || !await CanRunAsync(Npm, cancellationToken))
        {
            Assert.Ignore("node and npm are not on PATH: the docs' TypeScript examples were not run.");
        }

        var directory = RepositoryPaths.TypeScriptClient;
        if (NeedsInstall(directory))
        {
            await RunAsync(Npm, ["ci", "--no-audit", "--no-fund"], directory, null, cancellationToken);
        }

        await using var host = await AgentApiHost.StartAsync(settings => settings["AGENTAPI_API_KEYS"] = Callers.KeyA);
        var address = host.BaseUrl.ToString().TrimEnd('/');
        var folder = Path.Combine(directory, "dist", "docs-example-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.Copy(Path.Combine(directory, "src", "generated", "agentApiClient.ts"), Path.Combine(folder, "agentApiClient.ts"));
            if (page == "docs/streaming.md")
            {
                await File.WriteAllTextAsync(Path.Combine(folder, "askStream.ts"), DocsSnippets.Get(page, heading, "ts", "export async function* readAskStream"), cancellationToken);
            }

            var example = DocsSnippets.Get(page, heading, "ts", "async function main()").Replace("http://127.0.0.1:8000", address, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(folder, "example.ts"), example, cancellationToken);
            var commands = DocsSnippets.Get("docs/clients.md", "### Compiling and running TypeScript", "bash")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(line => !line.StartsWith("npm ", StringComparison.Ordinal));

            var output = await RunAsync("bash", ["-euo", "pipefail", "-c", string.Join('\n', commands)], folder, null, cancellationToken);

            Assert.That(output.ReplaceLineEndings("\n"), Does.Match(expected));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // npm ci only when node_modules is missing or older than the lock file: it takes seconds, tsc alone under two.
    private static bool NeedsInstall(string directory)
    {
        var installed = new FileInfo(Path.Combine(directory, "node_modules", ".package-lock.json"));
        return !installed.Exists || installed.LastWriteTimeUtc < File.GetLastWriteTimeUtc(Path.Combine(directory, "package-lock.json"));
    }

    private static async Task<bool> CanRunAsync(string program, CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }

    private static async Task<string> RunAsync(string program, string[] arguments, string directory, Uri? baseUrl, CancellationToken cancellationToken)
    {
        // The node suite reads AGENT_API_*, the docs' examples AGENTAPI_KEY, as a reader would set it.
        var environment = baseUrl is null
            ? new Dictionary<string, string> { ["AGENTAPI_KEY"] = Callers.KeyA }
            : new Dictionary<string, string> { ["AGENT_API_BASE_URL"] = baseUrl.ToString(), ["AGENT_API_KEY"] = Callers.KeyA };
        var (exitCode, output) = await ChildProcess.RunAsync(program, arguments, directory, environment, cancellationToken);
        var command = $"{program} {string.Join(' ', arguments)}";
        await TestContext.Out.WriteLineAsync($"$ {command}\n{output}");
        Assert.That(exitCode, Is.Zero, $"{command} failed:\n{output}");
        return output;
    }
}
