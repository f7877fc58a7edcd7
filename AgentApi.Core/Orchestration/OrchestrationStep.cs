using AgentApi.Core.Ask;
using AgentApi.Core.Providers;
using AgentApi.Core.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Orchestration;

/// <summary>
/// Step 1 of an ask: the small model reads the query, chooses a route and writes a focused prompt.
/// Whatever goes wrong here, the ask goes on with the original query (a fallback, with its reason).
/// </summary>
internal sealed class OrchestrationStep(
    [FromKeyedServices(ModelRole.Orchestrator)] IChatModel model,
    RouteTable routes,
    IOptions<AskOptions> options,
    TimeProvider timeProvider,
    ILogger<OrchestrationStep> logger)
{
    private const double Temperature = 0.2;

    public ChatModelInfo Model => model.Info;

    /// <exception cref="OperationCanceledException">Every caller waiting for this ask went away.</exception>
    public async Task<OrchestrationResult> PlanAsync(AskQuery query, DateTimeOffset askDeadline, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var request = new ChatRequest(
            OrchestratorPrompt.Build(query.Query, query.Context, routes, ConversationWindow.Recent(query.History, options.Value.OrchestratorHistoryChars), query.Tools?.Tools),
            MaxOutputTokens: OrchestratorPrompt.MaxOutputTokens,
            Temperature: Temperature,
            Deadline: Deadline(askDeadline))
        {
            Meter = query.Meter,
        };

        ChatCompletion completion;
        try
        {
            completion = await model.CompleteAsync(request, cancellationToken);
        }
        catch (ProviderException ex)
        {
            return Fallback(Skipped(started, ex.Attempts), ex.Info.FallbackReason, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Fallback(Skipped(started, attempts: 0), "the orchestrator failed unexpectedly", ex);
        }

        var step = new StepResult(Model.Provider, completion.Model, completion.Usage, Elapsed(started), completion.Attempts);
        var plan = completion.FinishReason == FinishReason.ContentFilter ? null : PlanParser.TryParse(completion.Text);
        if (plan is null)
        {
            return Fallback(step, "the orchestrator's answer was not a usable plan", exception: null);
        }

        if (OrchestratorPrompt.EchoesInstructions(plan.Prompt))
        {
            return Fallback(step, "the orchestrator's plan repeated its instructions", exception: null);
        }

        if (!routes.TryFind(plan.Route, out var route))
        {
            route = routes.Default;
            Log.UnknownRoute(logger, Truncate(plan.Route ?? "(none)"), route.Name);
        }

        Log.Orchestrated(logger, route.Name, plan.Prompt.Length, completion.Usage.Total);
        return new OrchestrationResult(plan, route, step, FallbackReason: null);
    }

    /// <summary>
    /// Keeps one executor attempt's worth of the ask's time back, so a slow orchestrator cannot starve
    /// the answer; but never less than a quarter of the ask's budget, nor past the ask's deadline.
    /// </summary>
    private DateTimeOffset Deadline(DateTimeOffset askDeadline)
    {
        var now = timeProvider.GetUtcNow();
        var budget = askDeadline - now - options.Value.ExecutorAttemptTimeout;
        var floor = options.Value.RequestTimeout / 4;
        var deadline = now + (budget > floor ? budget : floor);
        return deadline < askDeadline ? deadline : askDeadline;
    }

    private OrchestrationResult Fallback(StepResult step, string reason, Exception? exception)
    {
        Log.OrchestratorFallback(logger, reason, exception);
        return new OrchestrationResult(Plan: null, routes.Default, step, reason);
    }

    private StepResult Skipped(long started, int attempts) =>
        StepResult.Skipped(Model) with { DurationMs = Elapsed(started), Attempts = attempts };

    private static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");

    private double Elapsed(long started) => timeProvider.GetElapsedTime(started).TotalMilliseconds;
}
