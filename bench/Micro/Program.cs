using AgentApi.Bench.Micro;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// The ask's pieces one at a time, in this process (no project per benchmark to build): a short job, with
// allocations. `dotnet run -c Release --project bench/Micro -- --filter '*'` (see bench/README.md).
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(AskPieces).Assembly).Run(args, config);
