using System.Text;
using System.Text.Json;
using AgentApi.Core;
using AgentApi.Core.Caching;
using AgentApi.Core.Orchestration;
using AgentApi.Core.Routing;
using AgentApi.Infrastructure;
using AgentApi.Web;
using AgentApi.Web.Ask;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.Errors;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;

namespace AgentApi.Bench.Micro;

/// <summary>What an ask does besides its two provider calls, with the app's own settings and services.</summary>
public class AskPieces
{
    private const string Query = "What is the capital of France, and why did it become the capital?";

    // The plan the bench's Gemini fake answers (bench/Fakes), as the orchestrator's text.
    private const string PlanText = """{"route": "general", "prompt": "Answer the user's question accurately and concisely."}""";

    private static readonly byte[] RequestBody = Encoding.UTF8.GetBytes($$"""{"query":"{{Query}}","cache":true}""");

    private const string SummaryLine =
        "2026-11-28 12:43:44.0276Z INFO  [01a2222ed41c7482998d1e6ede620542] RequestContextMiddleware: POST /api/ask answered 200 in 0.4 ms: caller anonymous, route general, model gpt-4o-mini-2024-07-18, cached False, fallback False, tokens in 276 out 50";

    private IServiceProvider _services = null!;
    private JsonSerializerOptions _mvcJson = null!;
    private AskResponse _response = null!;
    private LogSecrets _secrets = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The app's registrations, as Program makes them: MVC's JSON options and the problem factory are the real ones.
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddCore().AddInfrastructure(builder.Configuration).AddWeb(builder.Configuration);
        _services = builder.Build().Services;
        _mvcJson = _services.GetRequiredService<IOptions<JsonOptions>>().Value.JsonSerializerOptions;
        _response = new AskResponse("01a2222ed41c7482998d1e6ede620542", "Paris is the capital of France.", false, false, null, false, null, "general",
            "Answer the user's question accurately and concisely.", new StepResponse("gemini", "gemma-3-1b-it", 212, 31, 0.4, 1),
            new StepResponse("openai", "gpt-4o-mini-2024-07-18", 64, 19, 0.3, 1), new UsageResponse(276, 50, 326), new UsageResponse(276, 50, 326), 1.2);
        _secrets = new LogSecrets();
        _secrets.Register("sk-bench-openai-key-0123456789");
        _secrets.Register("AIza-bench-gemini-key-0123456789");
    }

    [Benchmark(Description = "cache key: normalise + SHA-256")]
    public string CacheKey() => AnswerCacheKey.Create(Query, null, "gemma-3-1b-it", "gpt-4o-mini", "1");

    [Benchmark(Description = "orchestrator prompt")]
    public string OrchestratorPromptBuild() => OrchestratorPrompt.Build(Query, null, BuiltInRoutes.Table);

    [Benchmark(Description = "plan parsing")]
    public OrchestrationPlan? PlanParsing() => PlanParser.TryParse(PlanText);

    [Benchmark(Description = "request body: read (MVC's options)")]
    public AskRequest? RequestRead() => JsonSerializer.Deserialize<AskRequest>(RequestBody, _mvcJson);

    [Benchmark(Description = "response body: write (MVC's options)")]
    public byte[] ResponseWrite() => JsonSerializer.SerializeToUtf8Bytes(_response, _mvcJson);

    [Benchmark(Description = "validation problem: one field")]
    public IActionResult ProblemMapping()
    {
        var http = new DefaultHttpContext { RequestServices = _services, TraceIdentifier = "01a2222ed41c7482998d1e6ede620542" };
        var modelState = new ModelStateDictionary();
        modelState.AddModelError("Query", "Query is required and must not be blank.");
        return ValidationProblems.Create(new ActionContext(http, new RouteData(), new ActionDescriptor(), modelState));
    }

    [Benchmark(Description = "log line: redact + escape")]
    public string LogLine() => LogLineEscaping.Escape(_secrets.Redact(SummaryLine));
}
