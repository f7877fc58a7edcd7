using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>
/// The README's set-up as a newcomer runs it: <c>cp .env.template .env</c> at the repository root, keys filled
/// in, then <c>dotnet run --project AgentApi.Web</c>, which runs the app with <c>AgentApi.Web/</c> as its working
/// directory. The app is the built <c>AgentApi.Web.dll</c> in a child process, started in a folder laid out like
/// the repository (<c>AgentApi.sln</c> and <c>.env</c> at its root), so the test never writes a <c>.env</c> into
/// the real checkout. The second case is <c>dotnet AgentApi.Web.dll</c> from a publish folder holding <c>.env</c>.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class FirstRunTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [TestCase("AgentApi.Web", TestName = "DotnetRun_EnvAtRepositoryRootAppInProjectFolder_ReadsEnvAndAnswers")]
    [TestCase("", TestName = "DotnetDll_EnvInWorkingDirectory_ReadsEnvAndAnswers")]
    [CancelAfter(120_000)]
    public async Task FirstRun(string workingSubdirectory, CancellationToken cancellationToken)
    {
        await using var gemini = await FakeGeminiServer.StartAsync();
        await using var openAI = await FakeOpenAIServer.StartAsync();
        gemini.Reply = Plans.EchoPlan;
        var root = Path.Combine(Path.GetTempPath(), "agentapi-first-run", Guid.NewGuid().ToString("N"));
        var workingDirectory = Path.Combine(root, workingSubdirectory);
        Directory.CreateDirectory(workingDirectory);
        File.Copy(Path.Combine(RepositoryPaths.Root, "AgentApi.sln"), Path.Combine(root, "AgentApi.sln"));
        // What `cp .env.template .env` and filling in the keys gives, pointed at the fakes; port 0 picks a free one.
        var template = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, ".env.template"), cancellationToken);
        var dotEnv = Path.Combine(workingSubdirectory.Length == 0 ? workingDirectory : root, ".env");
        await File.WriteAllTextAsync(dotEnv, template
            .Replace("GEMMA_API_KEY=\n", $"GEMMA_API_KEY={FakeGeminiServer.DefaultApiKey}\n", StringComparison.Ordinal)
            .Replace("OPENAI_API_KEY=\n", $"OPENAI_API_KEY={FakeOpenAIServer.DefaultApiKey}\n", StringComparison.Ordinal)
            .Replace("OPENAI_BASE_URL=https://api.openai.com/v1", $"OPENAI_BASE_URL={openAI.BaseUrl}", StringComparison.Ordinal)
            + $"\nGEMMA_BASE_URL={gemini.BaseUrl}\nASPNETCORE_URLS=http://127.0.0.1:0\n", cancellationToken);

        var output = new List<string>();
        using var process = StartApp(workingDirectory, output);
        try
        {
            var address = await WaitForAddressAsync(process, output, cancellationToken);
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

            using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
            var healthBody = await AgentApiHost.JsonAsync(health);

            // The template's settings warm the instance up before it is ready, without a call to either provider.
            JsonElement warmUp = default;
            await Eventually.TrueAsync(async () =>
            {
                using var ready = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative), cancellationToken);
                warmUp = (await AgentApiHost.JsonAsync(ready)).GetProperty("checks").GetProperty("warm-up");
                return ready.StatusCode == HttpStatusCode.OK;
            }, TimeSpan.FromSeconds(60), "readiness after the warm-up");
            var callsBeforeTheAsk = gemini.CallCount + openAI.CallCount;

            using var ask = await client.PostAsJsonAsync(new Uri("/api/ask", UriKind.Relative), new { query = "Write a haiku about the sea at dawn" }, cancellationToken);
            var answer = await AgentApiHost.JsonAsync(ask);
            await Eventually.TrueAsync(() => SummaryLine().IsMatch(Log(output)), TimeSpan.FromSeconds(10), "the ask's summary line on standard output");

            Assert.Multiple(() =>
            {
                Assert.That(healthBody.GetProperty("status").GetString(), Is.EqualTo("ok"), Log(output));
                Assert.That(ask.StatusCode, Is.EqualTo(HttpStatusCode.OK), Log(output));
                Assert.That(answer.GetProperty("answer").GetString(), Does.Contain("haiku about the sea"));
                Assert.That(warmUp.GetProperty("description").GetString(), Does.StartWith("Warmed up: 500 asks"), Log(output));
                Assert.That(callsBeforeTheAsk, Is.Zero, "the warm-up called no provider");
                Assert.That(gemini.CallCount + openAI.CallCount, Is.EqualTo(2), "the ask called each provider once");
                Assert.That(string.Join('\n', output), Does.Contain($".env: {dotEnv}"), "the start-up block names the .env it read");
                Assert.That(Path.Combine(root, "logs", "agentapi.log"), Does.Exist, "logs/ is at the root, where the jq command of docs/operating.md looks");
                Assert.That(Path.Combine(root, "AgentApi.Web", "logs"), Does.Not.Exist);
            });
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// The Routes and Security set-up from the repository root: <c>ROUTES_FILE=routes.json</c> in <c>.env</c> and a relative
    /// <c>AGENTAPI_API_KEYS_FILE</c> in the real environment, both files beside <c>.env</c>, the app run in <c>AgentApi.Web/</c>
    /// as <c>dotnet run --project AgentApi.Web</c> runs it: both resolve like <c>LOG_DIR</c>, from the folder of <c>.env</c>.
    /// </summary>
    [Test]
    [CancelAfter(120_000)]
    public async Task DotnetRun_RelativeFileSettings_ResolveFromTheFolderOfTheEnv(CancellationToken cancellationToken)
    {
        await using var gemini = await FakeGeminiServer.StartAsync();
        await using var openAI = await FakeOpenAIServer.StartAsync();
        gemini.Reply = Plans.EchoPlan;
        var root = Path.Combine(Path.GetTempPath(), "agentapi-first-run", Guid.NewGuid().ToString("N"));
        var project = Path.Combine(root, "AgentApi.Web");
        Directory.CreateDirectory(Path.Combine(root, "secrets"));
        Directory.CreateDirectory(project);
        File.Copy(Path.Combine(RepositoryPaths.Root, "AgentApi.sln"), Path.Combine(root, "AgentApi.sln"));
        await File.WriteAllTextAsync(Path.Combine(root, "routes.json"), """
            { "routes": [
              { "name": "general", "default": true, "description": "Anything.", "instructions": "Answer helpfully." },
              { "name": "poetry", "description": "Poems.", "instructions": "Answer in verse." }
            ] }
            """, cancellationToken);
        await File.WriteAllLinesAsync(Path.Combine(root, "secrets", "callers"), [Callers.FileLine("ops", Callers.KeyA)], cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(root, ".env"), $"""
            GEMMA_API_KEY={FakeGeminiServer.DefaultApiKey}
            GEMMA_BASE_URL={gemini.BaseUrl}
            OPENAI_API_KEY={FakeOpenAIServer.DefaultApiKey}
            OPENAI_BASE_URL={openAI.BaseUrl}
            ASPNETCORE_URLS=http://127.0.0.1:0
            WARMUP_ASKS=0
            ROUTES_FILE=routes.json

            """, cancellationToken);

        var output = new List<string>();
        using var process = StartApp(project, output, new Dictionary<string, string> { ["AGENTAPI_API_KEYS_FILE"] = Path.Combine("secrets", "callers") });
        try
        {
            var address = await WaitForAddressAsync(process, output, cancellationToken);
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

            using var routesRequest = new HttpRequestMessage(HttpMethod.Get, "/api/routes");
            routesRequest.Headers.Add("X-API-Key", Callers.KeyA);
            using var routes = await client.SendAsync(routesRequest, cancellationToken);
            var routesBody = await AgentApiHost.JsonAsync(routes);
            using var keyed = await client.SendAsync(Callers.Ask(new { query = "Write a poem about the sea" }, bearer: Callers.KeyA), cancellationToken);
            using var anonymous = await client.SendAsync(Callers.Ask(new { query = "Write a poem about the sea" }), cancellationToken);

            Assert.Multiple(() =>
            {
                Assert.That(routes.StatusCode, Is.EqualTo(HttpStatusCode.OK), Log(output));
                Assert.That(string.Join(',', routesBody.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("name").GetString())), Is.EqualTo("general,poetry"));
                Assert.That(keyed.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the keys file beside .env was read");
                Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
                Assert.That(Log(output), Does.Contain($"routes: {Path.Combine(root, "routes.json")}, 2 routes, default general"), "the start-up block names the file read");
                Assert.That(Log(output), Does.Contain($"caller keys file: {Path.Combine(root, "secrets", "callers")}"));
            });
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The app as <c>dotnet run</c> starts it: the project's build output, run in <paramref name="workingDirectory"/>.</summary>
    /// <param name="workingDirectory">Where the app runs.</param>
    /// <param name="output">Collects standard output and standard error, line by line.</param>
    /// <param name="environment">Variables set in the app's real environment; otherwise only <c>.env</c> configures it.</param>
    private static Process StartApp(string workingDirectory, List<string> output, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepositoryPaths.BuiltApp);
        // The test's own settings must not leak into the app: only .env configures it.
        foreach (var name in new[] { "LOG_DIR", "LOG_LEVEL", "ASPNETCORE_URLS", "GEMMA_API_KEY", "OPENAI_API_KEY", "GEMMA_BASE_URL", "OPENAI_BASE_URL", "ROUTES_FILE", "AGENTAPI_API_KEYS", "AGENTAPI_API_KEYS_FILE" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        void Collect(object? sender, DataReceivedEventArgs line)
        {
            if (line.Data is not null)
            {
                lock (output)
                {
                    output.Add(line.Data);
                }
            }
        }

        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The address Kestrel reports; the app listens on a free port.</summary>
    private static async Task<Uri> WaitForAddressAsync(Process process, List<string> output, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            lock (output)
            {
                if (output.Select(l => ListeningOn().Match(l)).FirstOrDefault(m => m.Success) is { } match)
                {
                    return new Uri(match.Groups[1].Value);
                }
            }

            Assert.That(process.HasExited, Is.False, () => $"the app stopped:\n{Log(output)}");
            await Task.Delay(100, cancellationToken);
        }

        Assert.Fail($"the app did not report its address within {StartTimeout.TotalSeconds} s:\n{Log(output)}");
        throw new UnreachableException();
    }

    private static string Log(List<string> output)
    {
        lock (output)
        {
            return string.Join('\n', output);
        }
    }

    // Kestrel's own line: present whether or not the app understood its settings.
    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();

    [GeneratedRegex(@"INFO  \[[0-9a-f]{32}\] \[[0-9a-f]{32}\] AskPipeline: POST /api/ask answered 200 in ")]
    private static partial Regex SummaryLine();
}
