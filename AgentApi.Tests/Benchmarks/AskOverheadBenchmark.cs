using System.Diagnostics;
using System.Net.Http.Json;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Benchmarks;

/// <summary>
/// What the gateway adds to an ask on top of the providers, measured in one run on this machine:
/// the same two provider calls made directly against the fakes, then through <c>/api/ask</c>.
/// Prints figures; asserts nothing about speed (the machine is shared and noisy). Run with
/// <c>AGENTAPI_BENCHMARK=1 dotnet test AgentApi.sln --filter Category=Benchmark --logger "console;verbosity=detailed"</c>.
/// Not <c>[Explicit]</c>: the NUnit adapter reports an explicit test that was not selected with no outcome,
/// which <c>dotnet test</c> printed as "Skipped" yet left out of its Skipped count. An ignored test is
/// Skipped in the console summary and NotExecuted in the trx, which <c>.ci/run</c> counts as skipped.
/// </summary>
[TestFixture]
[Category("Benchmark")]
public sealed class AskOverheadBenchmark
{
    public const string RunVariable = "AGENTAPI_BENCHMARK";

    private const int Warmup = 300;
    private const int Samples = 2_000;
    private const int Concurrency = 32;
    private const int ThroughputRequests = 10_000;

    [Test]
    public async Task AskOverhead_PrintsLatencyAndThroughputFigures()
    {
        if (Environment.GetEnvironmentVariable(RunVariable) != "1")
        {
            Assert.Ignore($"Benchmark: prints figures on demand; run with {RunVariable}=1 (see docs/performance.md).");
        }

        await using var host = await AgentApiHost.StartAsync(settings => settings["LOG_LEVEL"] = "Warning");
        using var direct = new HttpClient();
        direct.DefaultRequestHeaders.Add("x-goog-api-key", FakeGeminiServer.DefaultApiKey);
        direct.DefaultRequestHeaders.Authorization = new("Bearer", FakeOpenAIServer.DefaultApiKey);
        var gemini = new Uri(host.Gemini.BaseUrl + "/models/gemma-3-1b-it:generateContent");
        var openAI = new Uri(host.OpenAI.BaseUrl + "/chat/completions");

        async Task DirectPairAsync(int i)
        {
            var plan = new { contents = new[] { new { role = "user", parts = new[] { new { text = $"Query:\n<<<\nbenchmark {i}\n>>>" } } } } };
            using (var r = await direct.PostAsJsonAsync(gemini, plan)) { await r.Content.ReadAsByteArrayAsync(); }
            var answer = new { model = "gpt-4o-mini", messages = new[] { new { role = "user", content = $"benchmark {i}" } } };
            using (var r = await direct.PostAsJsonAsync(openAI, answer)) { await r.Content.ReadAsByteArrayAsync(); }
        }

        var steps = new List<(double Orchestrator, double Executor, double Total)>();
        async Task GatewayAsync(object body)
        {
            using var r = await host.Client.PostAsJsonAsync(new Uri("/api/ask", UriKind.Relative), body);
            r.EnsureSuccessStatusCode();
            var json = await AgentApiHost.JsonAsync(r);
            if (!json.GetProperty("cached").GetBoolean())
            {
                lock (steps)
                {
                    steps.Add((json.GetProperty("orchestrator").GetProperty("durationMs").GetDouble(),
                        json.GetProperty("executor").GetProperty("durationMs").GetDouble(), json.GetProperty("durationMs").GetDouble()));
                }
            }
        }

        for (var i = 0; i < Warmup; i++)
        {
            await DirectPairAsync(i);
            await GatewayAsync(new { query = $"warm-up {i}" });
        }

        var directPair = await MeasureAsync(i => DirectPairAsync(i));
        steps.Clear();
        var miss = await MeasureAsync(i => GatewayAsync(new { query = $"miss {i} {Guid.NewGuid():N}" }));
        double Median(Func<(double Orchestrator, double Executor, double Total), double> pick) => steps.Select(pick).Order().ElementAt(steps.Count / 2);
        var (orchestratorStep, executorStep, inService) = (Median(s => s.Orchestrator), Median(s => s.Executor), Median(s => s.Total));
        await GatewayAsync(new { query = "the hot question" });
        var hit = await MeasureAsync(_ => GatewayAsync(new { query = "the hot question" }));
        var (throughput, bytesPerAsk) = await ThroughputAsync(() => GatewayAsync(new { query = "the hot question" }));

        var overhead = miss.Median - directPair.Median;
        TestContext.Out.WriteLine($"{"measure",-44} {"p50 µs",10} {"p99 µs",10}");
        Print("two provider calls made directly (baseline)", directPair);
        Print("ask through the gateway, cache miss", miss);
        Print("ask through the gateway, cache hit", hit);
        TestContext.Out.WriteLine($"gateway overhead per ask (miss p50 - baseline p50): {overhead * 1000:0} µs, ratio miss/baseline {miss.Median / directPair.Median:0.00}");
        TestContext.Out.WriteLine($"inside the service on a miss (p50): orchestrator step {orchestratorStep * 1000:0} µs, executor step {executorStep * 1000:0} µs, whole ask {inService * 1000:0} µs");
        TestContext.Out.WriteLine($"cache-hit throughput, {Concurrency} concurrent clients: {throughput:0} asks/s; process-wide allocation {bytesPerAsk / 1024:0.0} KiB per ask (client and server)");
        Assert.That(overhead, Is.Not.NaN);
    }

    private static void Print(string name, (double Median, double P99) figures) =>
        TestContext.Out.WriteLine($"{name,-44} {figures.Median * 1000,10:0} {figures.P99 * 1000,10:0}");

    private static async Task<(double Median, double P99)> MeasureAsync(Func<int, Task> operation)
    {
        var milliseconds = new double[Samples];
        for (var i = 0; i < Samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation(i);
            milliseconds[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(milliseconds);
        return (milliseconds[Samples / 2], milliseconds[(int)(Samples * 0.99)]);
    }

    private static async Task<(double PerSecond, double BytesPerAsk)> ThroughputAsync(Func<Task> operation)
    {
        var remaining = ThroughputRequests;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                await operation();
            }
        }));
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return (ThroughputRequests / watch.Elapsed.TotalSeconds, (double)allocated / ThroughputRequests);
    }
}
