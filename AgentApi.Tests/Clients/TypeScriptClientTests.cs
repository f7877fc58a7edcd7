using System.Diagnostics;
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
    /// The README's TypeScript example, written next to the generated client as its import expects, compiled
    /// with the project's tsconfig (CommonJS, where top-level await fails) and run by node against the app.
    /// Only the address changes: the app listens on a free port, not 8000.
    /// </summary>
    [Test]
    [CancelAfter(180_000)]
    public async Task ReadmeExample_AgainstRunningApp_PrintsTheAnswer(CancellationToken cancellationToken)
    {
        if (!await CanRunAsync("node", cancellationToken) || !await CanRunAsync(Npm, cancellationToken))
        {
            Assert.Ignore("node and npm are not on PATH: the README's TypeScript example was not run.");
        }

        var directory = RepositoryPaths.TypeScriptClient;
        if (NeedsInstall(directory))
        {
            await RunAsync(Npm, ["ci", "--no-audit", "--no-fund"], directory, null, cancellationToken);
        }

        await using var host = await AgentApiHost.StartAsync();
        var source = Path.Combine(directory, "src", "generated", "readmeExample.ts");
        var compiled = Path.Combine(directory, "dist", "generated", "readmeExample.js");
        var example = ReadmeSnippets.Get("### TypeScript", "ts")
            .Replace("http://127.0.0.1:8000", host.BaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal);
        await File.WriteAllTextAsync(source, example, cancellationToken);
        try
        {
            await RunAsync(Npm, ["run", "build"], directory, null, cancellationToken);
            var output = await RunAsync("node", [compiled], directory, null, cancellationToken);

            Assert.That(output, Does.Contain("echo: Focused: What is the capital of France?").And.Match(@"\[general, \d+ tokens\]"));
        }
        finally
        {
            File.Delete(source);
            File.Delete(compiled);
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
        var environment = baseUrl is null ? null : new Dictionary<string, string> { ["AGENT_API_BASE_URL"] = baseUrl.ToString(), ["AGENT_API_KEY"] = Callers.KeyA };
        var (exitCode, output) = await ChildProcess.RunAsync(program, arguments, directory, environment, cancellationToken);
        var command = $"{program} {string.Join(' ', arguments)}";
        await TestContext.Out.WriteLineAsync($"$ {command}\n{output}");
        Assert.That(exitCode, Is.Zero, $"{command} failed:\n{output}");
        return output;
    }
}
