using System.Globalization;
using System.Text.Json;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.OpenAICompatible;

/// <summary>
/// The official <c>openai</c> npm client (clients/openai-node) against <c>/v1</c>, with its default retries on, counting
/// what reached the providers: the gateway's own retries must not be multiplied by the SDK's.
/// </summary>
[TestFixture]
public sealed class OpenAINodeSdkTests
{
    private static readonly string Directory = Path.Combine(RepositoryPaths.Root, "clients", "openai-node");

    [Test]
    public async Task Create_ExecutorFailsEveryAttempt_SdkDoesNotRetryWhatTheGatewayRetried()
    {
        await using var host = await AgentApiHost.StartAsync();
        for (var i = 0; i < 12; i++)
        {
            host.OpenAI.Enqueue(FakeOpenAIServer.ServerError());
        }

        var result = await RunAsync(host, "create");

        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("ok").GetBoolean(), Is.False);
            Assert.That(result.GetProperty("status").GetInt32(), Is.EqualTo(502));
            Assert.That(result.GetProperty("shouldRetry").GetString(), Is.EqualTo("false"));
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(3), "the gateway's three attempts, not the SDK's three tries of them (9)");
        });
    }

    [Test]
    public async Task Create_CallerOverItsMinuteLimit_SdkFailsAtOnceInsteadOfWaitingAMinute()
    {
        await using var host = await AgentApiHost.StartAsync(settings =>
        {
            settings["AGENTAPI_API_KEYS"] = Callers.KeyA;
            settings["RATE_LIMIT_PER_MINUTE"] = "1";
        });

        var first = await RunAsync(host, "create", Callers.KeyA);
        var second = await RunAsync(host, "create", Callers.KeyA);

        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("ok").GetBoolean(), Is.True, first.ToString());
            Assert.That(second.GetProperty("status").GetInt32(), Is.EqualTo(429));
            Assert.That(second.GetProperty("shouldRetry").GetString(), Is.EqualTo("false"));
            Assert.That(second.GetProperty("elapsedMs").GetDouble(), Is.LessThan(5_000), "told at once, not after a silent wait of up to a minute");
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [TestCase("tools")]
    [TestCase("toolsStream")]
    public async Task Create_AgentRoundTrip_ToolCallToolResultAnswer(string scenario)
    {
        await using var host = await AgentApiHost.StartAsync();
        host.OpenAI.ToolArguments = _ => """{"city":"Paris"}""";

        var result = await RunAsync(host, scenario);

        var executor = host.OpenAI.Requests.Where(r => r.Method == "POST").Select(r => JsonDocument.Parse(r.Body).RootElement.Clone()).ToList();
        var toolMessage = executor[^1].GetProperty("messages").EnumerateArray().Last();
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("ok").GetBoolean(), Is.True, result.ToString());
            Assert.That(result.GetProperty("firstFinishReason").GetString(), Is.EqualTo("tool_calls"));
            Assert.That(result.GetProperty("toolName").GetString(), Is.EqualTo("get_weather"));
            Assert.That(result.GetProperty("toolArguments").GetString(), Is.EqualTo("""{"city":"Paris"}"""));
            Assert.That(result.GetProperty("answer").GetString(), Is.EqualTo("echo: It is 21 degrees and sunny in Paris."));
            Assert.That(result.GetProperty("finishReason").GetString(), Is.EqualTo("stop"));
            Assert.That(toolMessage.GetProperty("tool_call_id").GetString(), Is.EqualTo(result.GetProperty("toolCallId").GetString()), "the call's id reached the executor intact");
            Assert.That(executor[0].GetProperty("tools")[0].GetProperty("function").GetProperty("strict").GetBoolean(), Is.True);
            Assert.That(host.Gemini.CallCount, Is.EqualTo(1), "the tool-result turn made no orchestrator call");
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(2));
        });
        if (scenario == "toolsStream")
        {
            Assert.That(result.GetProperty("toolCallChunks").GetInt32(), Is.GreaterThan(2), "the call arrived in pieces");
        }
    }

    /// <summary>docs/tools.md's agent example (clients/openai-node/agent.ts) compiles and runs its loop against the gateway.</summary>
    [Test]
    public async Task AgentExample_AgainstTheGateway_RunsTheToolThenAnswersInJson()
    {
        await using var host = await AgentApiHost.StartAsync();
        host.OpenAI.ToolArguments = _ => """{"city":"Paris"}""";
        await EnsureInstalledAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var environment = new Dictionary<string, string> { ["AGENTAPI_URL"] = host.BaseUrl.ToString().TrimEnd('/') };
        var (exitCode, output) = await ChildProcess.RunAsync("npm", ["run", "--silent", "agent", "--", "What is the weather in Paris?"], Directory, environment, timeout.Token);

        Assert.That(exitCode, Is.Zero, output);
        using var result = JsonDocument.Parse(output.Split('\n').Last(l => l.StartsWith('{')));
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("tool get_weather({\"city\":\"Paris\"}) -> It is 21 degrees and sunny in Paris."));
            Assert.That(result.RootElement.GetProperty("answer").GetString(), Is.EqualTo("echo: It is 21 degrees and sunny in Paris."));
            Assert.That(result.RootElement.GetProperty("capital").EnumerateObject().Select(p => p.Name), Is.EqualTo((string[])["city", "country"]));
            Assert.That(host.OpenAI.CallCount, Is.EqualTo(3), "the call, the answer with its result, the structured answer");
        });
    }

    internal static async Task<JsonElement> RunAsync(AgentApiHost host, string scenario, string? key = null, IReadOnlyDictionary<string, string>? more = null)
    {
        await EnsureInstalledAsync();
        var environment = new Dictionary<string, string> { ["AGENTAPI_URL"] = host.BaseUrl.ToString().TrimEnd('/') };
        if (key is not null)
        {
            environment["AGENTAPI_KEY"] = key;
        }

        foreach (var (name, value) in more ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (exitCode, output) = await ChildProcess.RunAsync("node", ["scenario.mjs", scenario], Directory, environment, timeout.Token);
        Assert.That(exitCode, Is.Zero, output);
        var line = output.Split('\n').Last(l => l.StartsWith('{'));
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    // npm ci only when node_modules is missing or older than the lock file.
    private static async Task EnsureInstalledAsync()
    {
        var installed = new FileInfo(Path.Combine(Directory, "node_modules", ".package-lock.json"));
        if (installed.Exists && installed.LastWriteTimeUtc >= File.GetLastWriteTimeUtc(Path.Combine(Directory, "package-lock.json")))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var (exitCode, output) = await ChildProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], Directory, null, timeout.Token);
        Assert.That(exitCode, Is.Zero, string.Create(CultureInfo.InvariantCulture, $"npm ci in {Directory} failed:\n{output}"));
    }
}
