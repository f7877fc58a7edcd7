using System.Globalization;
using System.Diagnostics;
using System.Text;
using AgentApi.Core.Caching;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Orchestration;
using AgentApi.Core.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Ask;

internal sealed class AskService(
    [FromKeyedServices(ModelRole.Orchestrator)] IChatModel orchestrator,
    [FromKeyedServices(ModelRole.Executor)] IChatModel executor,
    IAnswerCache cache,
    IOptions<AskOptions> options,
    TimeProvider timeProvider,
    AgentApiMetrics metrics,
    ILogger<AskService> logger) : IAskService
{
    private const double OrchestratorTemperature = 0.2;

    /// <summary>Bump when <see cref="Routes.ExecutorInstruction"/> or <see cref="BuildExecutorMessage"/> change.</summary>
    private const string ExecutorTemplateVersion = "executor-v1";

    public async Task<AskResult> AskAsync(AskQuery query, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var orchestratorStatus = orchestrator.Status;
        var executorStatus = executor.Status;
        ThrowIfNotConfigured(executorStatus);
        ThrowIfNotConfigured(orchestratorStatus);

        var key = AnswerCacheKey.Create(query.Query, query.Context, orchestratorStatus.Model, executorStatus.Model, PipelineVersion(options.Value), query.CacheScope);
        var deadline = timeProvider.GetUtcNow() + options.Value.RequestTimeout;
        var mode = query.UseCache ? CacheMode.ReadWrite : CacheMode.Refresh;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.AskStarted(logger, Truncate(query.Query), query.Context?.Length ?? 0, query.UseCache);
        }

        var lookup = await cache.GetOrCreateAsync(key, token => ProduceAsync(query, deadline, token), mode, cancellationToken);
        return new AskResult(lookup.Answer, lookup.Source, timeProvider.GetElapsedTime(started).TotalMilliseconds);
    }

    private async ValueTask<AskAnswer> ProduceAsync(AskQuery query, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var remaining = deadline - timeProvider.GetUtcNow();
        using var deadlineSource = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadlineSource.Token);
        try
        {
            var (plan, orchestratorStep, fallbackReason) = await OrchestrateAsync(query, deadline, linked.Token, cancellationToken);
            var route = plan?.Route ?? Routes.Direct;
            var prompt = plan?.Prompt ?? query.Query;
            var (completion, executorStep) = await ExecuteAsync(route, BuildExecutorMessage(plan, query), deadline, linked.Token, cancellationToken);

            return new AskAnswer(
                completion.Text,
                route,
                prompt,
                Fallback: plan is null,
                fallbackReason,
                Truncated: completion.FinishReason == FinishReason.Length,
                orchestratorStep,
                executorStep);
        }
        catch (OperationCanceledException ex) when (deadlineSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(
                ProviderFailure.Timeout,
                ModelRole.Executor,
                executor.Status.Provider,
                $"No answer within the {options.Value.RequestTimeout.TotalSeconds:0.#} s request deadline. Try again, or ask a shorter question.",
                innerException: ex);
        }
    }

    private async Task<(OrchestrationPlan? Plan, StepResult Step, string? FallbackReason)> OrchestrateAsync(
        AskQuery query, DateTimeOffset deadline, CancellationToken cancellationToken, CancellationToken callerToken)
    {
        var status = orchestrator.Status;
        var started = timeProvider.GetTimestamp();

        // Keep one executor attempt's worth of the budget back, so a slow orchestrator cannot starve the answer.
        var budget = deadline - timeProvider.GetUtcNow() - options.Value.ExecutorAttemptTimeout;
        var floor = options.Value.RequestTimeout / 4;
        var allowed = budget > floor ? budget : floor;
        using var budgetSource = new CancellationTokenSource(allowed, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budgetSource.Token);
        var request = new ChatRequest(
            OrchestratorPrompt.Build(query.Query, query.Context),
            MaxOutputTokens: OrchestratorPrompt.MaxOutputTokens,
            Temperature: OrchestratorTemperature,
            Deadline: timeProvider.GetUtcNow() + allowed);

        ChatCompletion completion;
        try
        {
            completion = await CallAsync(orchestrator, status, request, linked.Token, callerToken);
        }
        catch (ProviderException ex)
        {
            return Fallback(StepResult.Skipped(status) with { DurationMs = Elapsed(started), Attempts = ex.Attempts }, DescribeFailure(ex), ex);
        }
        catch (OperationCanceledException ex) when (budgetSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Fallback(StepResult.Skipped(status) with { DurationMs = Elapsed(started) }, "the orchestrator did not answer in time", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever else goes wrong in the orchestrator step, the user still gets an answer.
            return Fallback(StepResult.Skipped(status) with { DurationMs = Elapsed(started) }, "the orchestrator failed unexpectedly", ex);
        }

        var step = new StepResult(status.Provider, completion.Model, completion.Usage, Elapsed(started), completion.Attempts);
        var plan = completion.FinishReason == FinishReason.ContentFilter ? null : PlanParser.TryParse(completion.Text);
        if (plan is null)
        {
            return Fallback(step, "the orchestrator's answer was not a usable plan", exception: null);
        }

        Log.Orchestrated(logger, plan.Route, plan.Prompt.Length, completion.Usage.Total);
        return (plan, step, null);

        (OrchestrationPlan?, StepResult, string?) Fallback(StepResult fallbackStep, string reason, Exception? exception)
        {
            Log.OrchestratorFallback(logger, reason, exception);
            return (null, fallbackStep, reason);
        }
    }

    private async Task<(ChatCompletion Completion, StepResult Step)> ExecuteAsync(
        string route, string message, DateTimeOffset deadline, CancellationToken cancellationToken, CancellationToken callerToken)
    {
        var status = executor.Status;
        var started = timeProvider.GetTimestamp();
        var request = new ChatRequest(message, Routes.ExecutorInstruction(route), options.Value.ExecutorMaxOutputTokens, Deadline: deadline);
        var completion = await CallAsync(executor, status, request, cancellationToken, callerToken);

        if (completion.FinishReason == FinishReason.ContentFilter)
        {
            throw new ProviderException(
                ProviderFailure.ContentFiltered,
                ModelRole.Executor,
                status.Provider,
                "The answering model declined to answer this request under its content policy. Rephrase the question.");
        }

        if (string.IsNullOrWhiteSpace(completion.Text))
        {
            throw new ProviderException(
                ProviderFailure.InvalidResponse,
                ModelRole.Executor,
                status.Provider,
                "The answering model returned an empty answer. Try again.",
                providerDetail: $"finish reason {completion.FinishReason}");
        }

        return (completion, new StepResult(status.Provider, completion.Model, completion.Usage, Elapsed(started), completion.Attempts));
    }

    /// <summary>
    /// Calls a model and records the call's duration, outcome, tokens and cost. <paramref name="callerToken"/>
    /// is cancelled only when every caller waiting for this answer went away; a cancellation without it is
    /// a time budget running out, recorded as a timeout.
    /// </summary>
    private async Task<ChatCompletion> CallAsync(IChatModel model, ChatModelStatus status, ChatRequest request, CancellationToken cancellationToken, CancellationToken callerToken)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            var completion = await model.CompleteAsync(request, cancellationToken);
            metrics.RecordProviderCall(status, ProviderOutcome.Success, timeProvider.GetElapsedTime(started));
            metrics.RecordUsage(status, completion.Usage);
            return completion;
        }
        catch (Exception ex)
        {
            var outcome = ex switch
            {
                ProviderException provider => ProviderOutcome.Of(provider.Failure),
                OperationCanceledException when callerToken.IsCancellationRequested => ProviderOutcome.Cancelled,
                OperationCanceledException => ProviderOutcome.Of(ProviderFailure.Timeout),
                _ => ProviderOutcome.Error,
            };
            metrics.RecordProviderCall(status, outcome, timeProvider.GetElapsedTime(started));
            throw;
        }
    }

    /// <summary>
    /// The executor gets the focused prompt, and the original request for reference: a 1B
    /// orchestrator may drop a detail, and the stronger model should not lose it.
    /// </summary>
    internal static string BuildExecutorMessage(OrchestrationPlan? plan, AskQuery query)
    {
        var builder = new StringBuilder();
        if (plan is not null)
        {
            builder.Append(plan.Prompt).Append("\n\n---\nOriginal request, for reference:\n");
        }

        builder.Append(query.Query);
        if (!string.IsNullOrWhiteSpace(query.Context))
        {
            builder.Append("\n\nContext:\n").Append(query.Context);
        }

        return builder.ToString();
    }

    private static string DescribeFailure(ProviderException exception) => exception.Failure switch
    {
        ProviderFailure.Timeout => "the orchestrator did not answer in time",
        ProviderFailure.CircuitOpen => "the orchestrator's circuit is open after repeated failures",
        ProviderFailure.RateLimited or ProviderFailure.QuotaExhausted => "the orchestrator's rate limit or quota was exhausted",
        ProviderFailure.ContentFiltered => "the orchestrator declined the request",
        ProviderFailure.InvalidResponse => "the orchestrator's answer could not be read",
        ProviderFailure.Rejected => "the orchestrator rejected the request",
        _ => "the orchestrator was unavailable",
    };

    private static void ThrowIfNotConfigured(ChatModelStatus status)
    {
        if (!status.IsConfigured)
        {
            throw new ProviderException(
                ProviderFailure.NotConfigured,
                status.Role,
                status.Provider,
                $"The {status.Role} ({status.Provider}) is not configured: set {status.MissingSetting} and restart the service.",
                missingSetting: status.MissingSetting);
        }
    }

    private double Elapsed(long started) => timeProvider.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>
    /// Everything besides the question and the models that shapes an answer: both prompt templates and
    /// the executor's output limit. Part of the cache key, so a change never serves answers made the old way.
    /// </summary>
    internal static string PipelineVersion(AskOptions options) =>
        string.Create(CultureInfo.InvariantCulture, $"{OrchestratorPrompt.TemplateVersion}|{ExecutorTemplateVersion}|max-{options.ExecutorMaxOutputTokens}");

    private static string Truncate(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
}
