using System.Globalization;
using AgentApi.Core.Caching;
using AgentApi.Core.Execution;
using AgentApi.Core.Orchestration;
using AgentApi.Core.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Ask;

/// <summary>
/// One ask: cache key → cache (which runs the steps once per key, however many identical asks wait)
/// → orchestrate → execute. The ask's deadline is fixed when it arrives; each step's provider call
/// must finish by it (docs/decisions/0004-time-limits.md).
/// </summary>
internal sealed class AskService(
    OrchestrationStep orchestration,
    ExecutionStep execution,
    IAnswerCache cache,
    IOptions<AskOptions> options,
    TimeProvider timeProvider,
    ILogger<AskService> logger) : IAskService
{
    public async Task<AskResult> AskAsync(AskQuery query, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        ThrowIfNotConfigured(query.Orchestrate);

        var key = AnswerCacheKey.Create(query, orchestration.Model.Model, execution.Model.Model, PipelineVersion(options.Value), ConversationVersion(options.Value));
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
        var orchestrated = query.Orchestrate
            ? await orchestration.PlanAsync(query, deadline, cancellationToken)
            : new OrchestrationResult(Plan: null, StepResult.Skipped(orchestration.Model), FallbackReason: null);
        var executed = await execution.AnswerAsync(query, orchestrated.Plan, deadline, cancellationToken);
        return new AskAnswer(
            executed.Completion.Text,
            orchestrated.Plan?.Route ?? Routes.Direct,
            orchestrated.Plan?.Prompt ?? query.Query,
            Fallback: orchestrated.Plan is null && query.Orchestrate,
            orchestrated.FallbackReason,
            Truncated: executed.Completion.FinishReason == FinishReason.Length,
            orchestrated.Step,
            executed.Step);
    }

    /// <summary>Names every missing setting at once, so an operator fixes them in one restart.</summary>
    private void ThrowIfNotConfigured(bool orchestrate)
    {
        ChatModelInfo[] models = orchestrate ? [execution.Model, orchestration.Model] : [execution.Model];
        ChatModelInfo[] missing = [.. models.Where(model => !model.IsConfigured)];
        if (missing.Length == 0)
        {
            return;
        }

        var settings = string.Join(", ", missing.Select(model => model.MissingSetting));
        var who = string.Join(" and the ", missing.Select(model => $"{model.Role} ({model.Provider})"));
        var verb = missing.Length == 1 ? "is" : "are";
        throw new ProviderException(
            ProviderFailure.NotConfigured,
            missing[0].Role,
            missing[0].Provider,
            $"The {who} {verb} not configured: set {settings} and restart the service.",
            missingSetting: settings);
    }

    /// <summary>
    /// Everything besides the question and the models that shapes an answer: both prompt templates and
    /// the executor's output limit. Part of the cache key, so a change never serves answers made the old way.
    /// </summary>
    internal static string PipelineVersion(AskOptions options) =>
        string.Create(CultureInfo.InvariantCulture, $"{OrchestratorPrompt.TemplateVersion}|{ExecutionStep.TemplateVersion}|max-{options.ExecutorMaxOutputTokens}");

    /// <summary>How much of a conversation each model sees; part of a conversation's cache key only, so single questions keep theirs.</summary>
    internal static string ConversationVersion(AskOptions options) =>
        string.Create(CultureInfo.InvariantCulture, $"conversation-v1|orchestrator-history-{options.OrchestratorHistoryChars}|executor-history-{options.ExecutorHistoryChars}");

    private static string Truncate(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
}
