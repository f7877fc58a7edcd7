using System.ComponentModel;
using System.Net;
using System.Text.RegularExpressions;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Docs;

/// <summary>
/// The docs' shell examples, run by bash as written against the app with fake providers: only the address changes,
/// and <c>AGENTAPI_KEY</c> holds a caller key where the page has the service require one.
/// </summary>
[TestFixture]
public sealed partial class DocsShellExampleTests
{
    private const string Walkthrough = "## Five minutes: from keys to an answer";

    [TestCase("README.md", Walkthrough, "/api/ask -H", false, "\"answer\":\"echo: Focused: What is the capital of France?")]
    [TestCase("README.md", Walkthrough, "/api/ask/stream", false, "event: done")]
    [TestCase("docs/api.md", "## `POST /api/ask`", null, true, "\"requestId\":\"docs-example-1\"")]
    [TestCase("docs/streaming.md", "# Streaming answers: `POST /api/ask/stream`", null, true, "event: done")]
    [TestCase("docs/openai-compatible.md", "# The OpenAI-compatible API: `/v1`", null, true, "\"object\":\"chat.completion\"")]
    [TestCase("docs/responses.md", "# The Responses API: `/v1/responses`", null, true, "\"deleted\":true")]
    [CancelAfter(60_000)]
    public async Task ShellExample_AgainstTheApp_Answers(string page, string heading, string? containing, bool keys, string expected, CancellationToken cancellationToken)
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            if (keys)
            {
                settings["AGENTAPI_API_KEYS"] = Callers.KeyA;
            }
        });
        var script = DocsSnippets.Get(page, heading, "bash", containing)
            .Replace("http://127.0.0.1:8000", host.BaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal);

        var (exitCode, output) = await RunBashAsync(script, Path.GetTempPath(), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain(expected));
            Assert.That(output, Does.Not.Contain("urn:agentapi:problem").And.Not.Contain("invalid_api_key"));
        });
    }

    /// <summary>docs/security.md's caller file, made as the page says, admits its key and no other.</summary>
    [Test]
    [CancelAfter(60_000)]
    public async Task CallersFileExample_MakesAKeyTheAppAccepts(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "agentapi-docs-callers", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var script = DocsSnippets.Get("docs/security.md", "## Caller keys", "bash");
            var (exitCode, output) = await RunBashAsync(script, directory, cancellationToken);
            Assert.That(exitCode, Is.Zero, output);
            var key = PrintedKey().Match(output);
            Assert.That(key.Success, Is.True, $"the script printed no key:\n{output}");

            var file = Path.Combine(directory, "callers.txt");
            await using var host = await AgentApiHost.StartAsync(settings => settings["AGENTAPI_API_KEYS_FILE"] = file);
            using var withKey = await host.Client.SendAsync(Callers.Ask(new { query = "Hello" }, bearer: key.Groups["key"].Value), cancellationToken);
            using var withOtherKey = await host.Client.SendAsync(Callers.Ask(new { query = "Hello" }, bearer: Callers.KeyA), cancellationToken);

            Assert.Multiple(() =>
            {
                Assert.That(File.ReadAllText(file), Does.Match("^billing:[0-9a-f]{64}\n$"));
                Assert.That(withKey.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(withOtherKey.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunBashAsync(string script, string directory, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string> { ["AGENTAPI_KEY"] = Callers.KeyA };
        try
        {
            var result = await ChildProcess.RunAsync("bash", ["-euo", "pipefail", "-c", script], directory, environment, cancellationToken);
            await TestContext.Out.WriteLineAsync($"$ {script}\n{result.Output}");
            return result;
        }
        catch (Win32Exception)
        {
            Assert.Ignore("bash is not on PATH: the docs' shell examples were not run.");
            throw;
        }
    }

    [GeneratedRegex("billing's key: (?<key>[0-9a-f]{64})")]
    private static partial Regex PrintedKey();
}
