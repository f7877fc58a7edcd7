using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentApi.Tests.Integration;

/// <summary>What the service says about itself at start, read from the log file NLog writes.</summary>
[TestFixture]
public sealed class StartupReportTests
{
    [Test]
    public async Task Start_BothKeysSet_LogsOneBlockNamingProvidersCacheLogsAndCallerMode()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["LOG_LEVEL"] = "Information");

        var block = await StartupBlockAsync(host);

        Assert.Multiple(() =>
        {
            Assert.That(block, Does.Contain($"listening on {host.BaseUrl.ToString().TrimEnd('/')}"));
            Assert.That(block, Does.Match(@"AgentApi \d+\.\d+\.\d+"));
            Assert.That(block, Does.Contain(".env: "));
            Assert.That(block, Does.Contain($"orchestrator: gemini gemma-3-1b-it at {host.Gemini.BaseUrl.ToString().TrimEnd('/')}"));
            Assert.That(block, Does.Contain($"executor: openai gpt-4o-mini at {host.OpenAI.BaseUrl.ToString().TrimEnd('/')}"));
            Assert.That(block, Does.Contain("routes: built-in, 5 routes, default general"));
            Assert.That(block, Does.Contain("cache: memory, answers kept 3600 s"));
            Assert.That(block, Does.Contain("stored responses: memory (at most 64 MiB), kept 86400 s after last use"));
            Assert.That(block, Does.Contain($"logs: {host.LogDirectory} (rotated at 10 MiB, 14 archives kept)"));
            Assert.That(block, Does.Contain("callers: open: no caller keys configured"));
            Assert.That(block, Does.Not.Contain("caller keys file"));
            Assert.That(block, Does.Not.Contain(FakeOpenAIServer.DefaultApiKey).And.Not.Contain(FakeGeminiServer.DefaultApiKey));
        });
    }

    [Test]
    public async Task Start_RoutesFileAndKeysFile_BlockNamesBothFiles()
    {
        var directory = Directory.CreateTempSubdirectory("agentapi-report-").FullName;
        var routesFile = Path.Combine(directory, "routes.json");
        var keysFile = Path.Combine(directory, "callers");
        File.WriteAllText(routesFile, """
            { "routes": [
              { "name": "general", "default": true, "description": "Anything.", "instructions": "Help." },
              { "name": "poetry", "description": "Poems.", "instructions": "Rhyme." }
            ] }
            """);
        File.WriteAllLines(keysFile, [Callers.FileLine("ops", Callers.KeyA), Callers.FileLine("billing", Callers.KeyB)]);
        try
        {
            await using var host = await AgentApiHost.StartAsync(settings =>
            {
                settings["LOG_LEVEL"] = "Information";
                settings["ROUTES_FILE"] = routesFile;
                settings["AGENTAPI_API_KEYS_FILE"] = keysFile;
            });

            var block = await StartupBlockAsync(host);

            Assert.Multiple(() =>
            {
                Assert.That(block, Does.Contain($"routes: {routesFile}, 2 routes, default general"));
                Assert.That(block, Does.Contain("callers: 2 caller key(s) required on /api/* and /v1/*"));
                Assert.That(block, Does.Contain($"caller keys file: {keysFile}"));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Start_WarmUpOn_ItsLineComesAfterTheWholeBlock()
    {
        // A missing key makes the warm-up write its line at once, racing the block as it did.
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["LOG_LEVEL"] = "Information";
            settings["WARMUP_ASKS"] = "5";
            settings["OPENAI_API_KEY"] = null;
        });

        string[] lines = [];
        await Eventually.TrueAsync(() => (lines = ReadLog(host)).Any(l => l.Contains("Warm-up skipped", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the warm-up's line");
        var first = Array.FindIndex(lines, l => l.Contains("StartupReport: AgentApi", StringComparison.Ordinal));
        var last = Array.FindLastIndex(lines, l => l.Contains("StartupReport: ", StringComparison.Ordinal));
        var warmUp = Array.FindIndex(lines, l => l.Contains("Warm-up skipped", StringComparison.Ordinal));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.GreaterThanOrEqualTo(0), string.Join('\n', lines));
            Assert.That(lines[first..(last + 1)], Has.All.Contain("StartupReport: "), "the block is one unit");
            Assert.That(warmUp, Is.GreaterThan(last), string.Join('\n', lines));
        });
    }

    [Test]
    public async Task Start_BothKeysMissing_WarnsOncePerKeyNamingTheVariable()
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["LOG_LEVEL"] = "Information";
            settings["GEMMA_API_KEY"] = null;
            settings["OPENAI_API_KEY"] = null;
        });

        await StartupBlockAsync(host);
        var warnings = ReadLog(host).Where(l => l.Contains(" WARN ", StringComparison.Ordinal) && l.Contains("is not set", StringComparison.Ordinal)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(warnings, Has.Count.EqualTo(2));
            Assert.That(warnings, Has.One.Contains("GEMMA_API_KEY is not set: the orchestrator (gemini)"));
            Assert.That(warnings, Has.One.Contains("OPENAI_API_KEY is not set: the executor (openai)"));
        });
    }

    [Test]
    public async Task Start_LogRotationSettings_RotateAtTheSizeAndKeepThatManyArchives()
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["LOG_MAX_FILE_MB"] = "1";
            settings["LOG_MAX_ARCHIVES"] = "2";
        });
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentApi.Tests.Rotation");
        var line = new string('x', 8 * 1024);

        // About 5 MiB per format, written in ten rounds of ~0.5 MiB with a flush after each: the async targets
        // write a round as one batch and check the size before each batch, so the file rotates every second
        // round whatever the machine's speed (one unflushed 5 MiB burst could land in two batches and rotate
        // once). Four rotations at 1 MiB, of which only the newest 2 archives stay.
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < 64; i++)
            {
                logger.Log(LogLevel.Warning, new EventId(i), line, null, static (text, _) => text);
            }

            NLog.LogManager.Flush(TimeSpan.FromSeconds(30));
        }
        var archive = Path.Combine(host.LogDirectory, "archive");
        var archives = Directory.GetFiles(archive);
        Assert.Multiple(() =>
        {
            Assert.That(archives.Count(f => f.EndsWith(".log", StringComparison.Ordinal)), Is.EqualTo(2), string.Join(", ", archives));
            Assert.That(archives.Count(f => f.EndsWith(".json", StringComparison.Ordinal)), Is.EqualTo(2), string.Join(", ", archives));
            // A file may pass 1 MiB by one round; at the default 10 MiB these 5 MiB would not have rotated at all.
            Assert.That(archives.Select(f => new FileInfo(f).Length), Has.All.LessThan(2 * 1024 * 1024));
            Assert.That(new FileInfo(Path.Combine(host.LogDirectory, "agentapi.log")).Length, Is.LessThan(2 * 1024 * 1024));
        });
    }

    [TestCase("LOG_MAX_FILE_MB", "0")]
    [TestCase("LOG_MAX_FILE_MB", "big")]
    [TestCase("LOG_MAX_ARCHIVES", "0")]
    [TestCase("LOG_MAX_ARCHIVES", "100000")]
    public async Task Start_MalformedLogRotationSetting_FailsNamingTheVariable(string variable, string value)
    {
        var exception = await AgentApiHost.StartupFailureAsync(settings => settings[variable] = value);

        Assert.That(exception!.ToString(), Does.Contain(variable));
    }

    /// <summary>The block, written once the server listens, just before the host reports started: its consecutive lines.</summary>
    private static async Task<string> StartupBlockAsync(AgentApiHost host)
    {
        string[] lines = [];
        await Eventually.TrueAsync(() =>
        {
            lines = ReadLog(host);
            return lines.Any(l => l.Contains("StartupReport: AgentApi", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(10));
        var first = Array.FindIndex(lines, l => l.Contains("StartupReport: AgentApi", StringComparison.Ordinal));
        return string.Join('\n', lines.Skip(first).TakeWhile(l => l.Contains("StartupReport: ", StringComparison.Ordinal)));
    }

    private static string[] ReadLog(AgentApiHost host)
    {
        NLog.LogManager.Flush(TimeSpan.FromSeconds(10));
        using var stream = new FileStream(Path.Combine(host.LogDirectory, "agentapi.log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n');
    }
}
