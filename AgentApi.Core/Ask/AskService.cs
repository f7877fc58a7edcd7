using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentApi.Core.Caching;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Execution;
using AgentApi.Core.Orchestration;
using AgentApi.Core.Providers;
using AgentApi.Core.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Ask;

/// <summary>
/// One ask: cache key → cache (which runs the steps once per key, however many identical asks wait)
/// → orchestrate → execute. The ask's deadline is fixed when it arrives; each step's provider call
/// must finish by it (docs/decisions/0004-time-limits.md). A turn that brings a tool's result skips the
/// orchestrator and continues on the route that made the call (docs/decisions/0013-tool-turns.md).
/// </summary>
internal sealed class AskService(
    OrchestrationStep orchestration,
    ExecutionStep execution,
    IAnswerCache cache,
    IToolCallRoutes toolCallRoutes,
    RouteTable routes,
    AgentApiMetrics metrics,
    IOptions<AskOptions> options,
    TimeProvider timeProvider,
    ILogger<AskService> logger) : IAskService
{
    // Fixed for the life of the process (options and the route table are read at start): computed once, not per ask.
    private readonly string _pipelineVersion = PipelineVersion(options.Value, routes);
    private readonly string _conversationVersion = ConversationVersion(options.Value);
    // The configured executor model is in every key, as before providers: answers follow the route table (its hash), not who answered.
    private readonly string _executorModel = execution.Model.Model;
    private readonly ChatModelInfo[] _defaultRouteModels = [.. execution.ModelsOf(routes.Default)];

    public async Task<AskResult> AskAsync(AskQuery query, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var (key, deadline, mode) = Prepare(query);
        var lookup = await cache.GetOrCreateAsync(key, token => ProduceAsync(query, deadline, live: null, token), mode, cancellationToken);
        var result = new AskResult(lookup.Answer, lookup.Source, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        metrics.RecordAsk(result.Answer.Route, result.Cached, FinishReasons.Name(result.Answer.FinishReason), query.Meter.Origin);
        return result;
    }

    /// <summary>
    /// Goes through the same cache call as <see cref="AskAsync"/>. When this ask's producer runs, it writes the plan
    /// and the executor's deltas to <c>live</c> as they come; when the ask is a hit, or joins an identical ask
    /// (streamed or not) already in flight, nothing is written there and the answer is replayed at the end.
    /// </summary>
    public async IAsyncEnumerable<AskStreamEvent> StreamAsync(AskQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var (key, deadline, mode) = Prepare(query);

        // Cancelled when the reader stops early, so an abandoned stream stops its provider call like a cancelled one.
        using var abandoned = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var live = Channel.CreateUnbounded<AskStreamEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var lookup = LookupAsync(key, query, deadline, mode, live.Writer, abandoned.Token);
        try
        {
            // The writer is completed when the lookup ends, however it ends.
            await foreach (var update in live.Reader.ReadAllAsync(CancellationToken.None))
            {
                yield return update;
            }

            var found = await lookup;
            var result = new AskResult(found.Answer, found.Source, timeProvider.GetElapsedTime(started).TotalMilliseconds);
            metrics.RecordAsk(result.Answer.Route, result.Cached, FinishReasons.Name(result.Answer.FinishReason), query.Meter.Origin);
            if (result.Cached)
            {
                yield return PlanOf(found.Answer, cached: true);
                foreach (var piece in Replay(found.Answer))
                {
                    yield return piece;
                }
            }

            yield return new AskStreamDone(result);
        }
        finally
        {
            await abandoned.CancelAsync();
            if (!lookup.IsCompleted)
            {
                _ = lookup.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
    }

    private (string Key, DateTimeOffset Deadline, CacheMode Mode) Prepare(AskQuery query)
    {
        ThrowIfNotConfigured(query.Orchestrate);
        var key = AnswerCacheKey.Create(query, orchestration.Model.Model, _executorModel, _pipelineVersion, _conversationVersion);
        var deadline = timeProvider.GetUtcNow() + options.Value.RequestTimeout;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.AskStarted(logger, Truncate(query.Query), query.Context?.Length ?? 0, query.UseCache);
        }

        return (key, deadline, query.CacheMode);
    }

    private async Task<CacheLookup> LookupAsync(string key, AskQuery query, DateTimeOffset deadline, CacheMode mode, ChannelWriter<AskStreamEvent> live, CancellationToken cancellationToken)
    {
        try
        {
            return await cache.GetOrCreateAsync(key, token => ProduceAsync(query, deadline, live, token), mode, cancellationToken);
        }
        finally
        {
            live.TryComplete();
        }
    }

    // live: where a streamed ask gets the plan and the executor's text as they come; null for a buffered ask.
    private async ValueTask<AskAnswer> ProduceAsync(AskQuery query, DateTimeOffset deadline, ChannelWriter<AskStreamEvent>? live, CancellationToken cancellationToken)
    {
        var route = routes.Default;
        try
        {
            // Each step in a span of its own (docs/tracing.md), written inline: a helper method would cost every ask
            // another async frame, traced or not.
            OrchestrationResult orchestrated;
            if (!query.Orchestrate)
            {
                orchestrated = new OrchestrationResult(Plan: null, routes.Default, StepResult.Skipped(orchestration.Model), FallbackReason: null);
            }
            else if (query.ContinuesToolCall)
            {
                orchestrated = await ContinueToolCallAsync(query, cancellationToken);
            }
            else
            {
                // The orchestrator's failures are fallbacks, recorded on the span; only the caller's leaving is thrown.
                var step = AgentApiActivity.StartStep(AgentApiActivity.Orchestrate);
                try
                {
                    orchestrated = await orchestration.PlanAsync(query, deadline, cancellationToken);
                    AgentApiActivity.RecordRoute(step, orchestrated.Route.Name, orchestrated.FallbackReason);
                }
                catch (Exception ex)
                {
                    AgentApiActivity.RecordFailure(step, ex);
                    throw;
                }
                finally
                {
                    step?.Dispose();
                }
            }

            route = orchestrated.Route;
            var plan = new AskStreamPlan(
                route.Name,
                orchestrated.Plan?.Prompt ?? query.Query,
                Fallback: orchestrated.FallbackReason is not null,
                orchestrated.FallbackReason,
                orchestrated.Step,
                Cached: false);
            ExecutionResult executed;
            var executing = AgentApiActivity.StartStep(AgentApiActivity.Execute, route.Name);
            try
            {
                if (live is null)
                {
                    executed = await execution.AnswerAsync(query, orchestrated.Plan, route, deadline, cancellationToken);
                }
                else
                {
                    // A streamed step ends with its stream: the executor's call returns once the provider's last chunk is read.
                    live.TryWrite(plan);
                    executed = await execution.StreamAsync(query, orchestrated.Plan, route, deadline, answering => live.TryWrite(answering), piece => live.TryWrite(EventOf(piece)), cancellationToken);
                }
            }
            catch (Exception ex)
            {
                AgentApiActivity.RecordFailure(executing, ex);
                throw;
            }
            finally
            {
                executing?.Dispose();
            }

            var completion = executed.Completion;
            if (completion.ToolCalls.Count > 0)
            {
                await toolCallRoutes.RememberAsync(completion.ToolCalls, route.Name, cancellationToken);
            }

            return new AskAnswer(
                completion.Text,
                plan.Route,
                plan.RefinedPrompt,
                plan.Fallback,
                plan.FallbackReason,
                Truncated: completion.FinishReason == FinishReason.Length,
                plan.Orchestrator,
                executed.Step)
            {
                ToolCalls = completion.ToolCalls,
                Refusal = completion.Refusal,
                FinishReason = completion.ToolCalls.Count > 0 && completion.FinishReason == FinishReason.Stop ? FinishReason.ToolCalls : completion.FinishReason,
            };
        }
        finally
        {
            // Whatever the production spent, answered, failed or abandoned, is the route's cost (a call cut before the
            // orchestrator chose counts on the default route, where the ask would have gone on fallback).
            foreach (var (model, usage) in query.Meter.ByModel)
            {
                metrics.RecordRouteUsage(route.Name, model, usage, query.Meter.Origin);
            }
        }
    }

    /// <summary>
    /// A turn that brings a tool's result continues on the route that made the call, without the orchestrator: the
    /// plan was made for the question, and a new one now could change the route in the middle of an exchange. When the
    /// call is not known (expired, or made elsewhere), the default route answers and the ask says so.
    /// </summary>
    private async Task<OrchestrationResult> ContinueToolCallAsync(AskQuery query, CancellationToken cancellationToken)
    {
        var skipped = StepResult.Skipped(orchestration.Model);
        var made = query.AnsweredToolCallId is { } id ? await toolCallRoutes.FindAsync(id, cancellationToken) : null;
        return routes.TryFind(made, out var route)
            ? new OrchestrationResult(Plan: null, route, skipped, FallbackReason: null)
            : new OrchestrationResult(Plan: null, routes.Default, skipped, "the route that made the tool call is not known (it expired, or the call was not made here); the default route continues");
    }

    private static AskStreamEvent EventOf(ChatStreamUpdate piece) =>
        piece.ToolCall is { } call ? new AskStreamToolCallDelta(call)
        : piece.Refusal is { Length: > 0 } refusal ? new AskStreamRefusalDelta(refusal)
        : new AskStreamDelta(piece.Text);

    /// <summary>A cached answer as the pieces a live one streams: its text, each tool call whole, its refusal.</summary>
    private static IEnumerable<AskStreamEvent> Replay(AskAnswer answer)
    {
        if (answer.Answer.Length > 0 || (answer.ToolCalls.Count == 0 && answer.Refusal is null))
        {
            yield return new AskStreamDelta(answer.Answer);
        }

        for (var index = 0; index < answer.ToolCalls.Count; index++)
        {
            var call = answer.ToolCalls[index];
            yield return new AskStreamToolCallDelta(new ToolCallDelta(index, call.Id, call.Name, call.Arguments));
        }

        if (answer.Refusal is { } refusal)
        {
            yield return new AskStreamRefusalDelta(refusal);
        }
    }

    private static AskStreamPlan PlanOf(AskAnswer answer, bool cached) =>
        new(answer.Route, answer.RefinedPrompt, answer.Fallback, answer.FallbackReason, answer.Orchestrator, cached);

    /// <summary>
    /// Names every missing setting at once, so an operator fixes them in one restart. The executor counts as configured when
    /// any model of the default route is (a fallback may answer); a route on an unconfigured provider fails on its own.
    /// </summary>
    private void ThrowIfNotConfigured(bool orchestrate)
    {
        var executor = _defaultRouteModels.FirstOrDefault(model => model.IsConfigured) ?? _defaultRouteModels[0];
        ChatModelInfo[] models = orchestrate ? [executor, orchestration.Model] : [executor];
        ChatModelInfo[] missing = [.. models.Where(model => !model.IsConfigured)];
        if (missing.Length == 0)
        {
            return;
        }

        string[] settings = [.. missing.Select(model => model.MissingSetting).OfType<string>()];
        var who = string.Join(" and the ", missing.Select(model => $"{model.Role} ({model.Provider})"));
        var verb = missing.Length == 1 ? "is" : "are";
        throw new ProviderException(
            ProviderFailure.NotConfigured,
            missing[0].Role,
            missing[0].Provider,
            $"The {who} {verb} not configured: set {string.Join(", ", settings)} and restart the service.",
            missingSettings: settings);
    }

    /// <summary>
    /// Everything besides the question and the models that shapes an answer: both prompt templates, the
    /// executor's default output limit and the route table (its hash: descriptions, models, instructions,
    /// limits). Part of the cache key, so a change never serves answers made the old way.
    /// </summary>
    internal static string PipelineVersion(AskOptions options, RouteTable routes) =>
        string.Create(CultureInfo.InvariantCulture, $"{OrchestratorPrompt.TemplateVersion}|{ExecutionStep.TemplateVersion}|max-{options.ExecutorMaxOutputTokens}|routes-{routes.Hash}");

    /// <summary>How much of a conversation each model sees; part of a conversation's cache key only, so single questions keep theirs.</summary>
    internal static string ConversationVersion(AskOptions options) =>
        string.Create(CultureInfo.InvariantCulture, $"conversation-v2|orchestrator-history-{options.OrchestratorHistoryChars}|executor-history-{options.ExecutorHistoryChars}");

    private static string Truncate(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
}
