using System.Text;
using AgentApi.Core.Ask;
using AgentApi.Core.Orchestration;
using AgentApi.Core.Providers;
using AgentApi.Core.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Execution;

/// <summary>
/// Step 2 of an ask: the stronger model answers the focused prompt (or, on fallback, the original
/// query) with the route's model, instructions and limits. An answer withheld or empty is a failure, not an answer.
/// </summary>
internal sealed class ExecutionStep(
    [FromKeyedServices(ModelRole.Executor)] IChatModel model,
    IOptions<AskOptions> options,
    TimeProvider timeProvider)
{
    /// <summary>Bump when <see cref="BuildMessage"/> changes: it is part of the cache key (the route table has its own hash).</summary>
    public const string TemplateVersion = "executor-v1";

    public ChatModelInfo Model => model.Info;

    /// <summary>The model id a route's asks are sent to: its own, or the executor's configured one.</summary>
    public string ModelFor(RouteDefinition route) => route.Model ?? Model.Model;

    /// <exception cref="ProviderException">No usable answer.</exception>
    public async Task<ExecutionResult> AnswerAsync(AskQuery query, OrchestrationPlan? plan, RouteDefinition route, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var request = new ChatRequest(
            BuildMessage(plan, query),
            route.Instructions,
            route.MaxOutputTokens ?? options.Value.ExecutorMaxOutputTokens,
            route.Temperature,
            deadline,
            route.Model);
        var completion = await model.CompleteAsync(request, cancellationToken);

        if (completion.FinishReason == FinishReason.ContentFilter)
        {
            throw new ProviderException(
                ProviderFailure.ContentFiltered,
                ModelRole.Executor,
                Model.Provider,
                "The answering model declined to answer this request under its content policy. Rephrase the question.",
                attempts: completion.Attempts);
        }

        if (string.IsNullOrWhiteSpace(completion.Text))
        {
            throw new ProviderException(
                ProviderFailure.InvalidResponse,
                ModelRole.Executor,
                Model.Provider,
                "The answering model returned an empty answer. Try again.",
                providerDetail: $"finish reason {completion.FinishReason}",
                attempts: completion.Attempts);
        }

        var step = new StepResult(Model.Provider, completion.Model, completion.Usage, timeProvider.GetElapsedTime(started).TotalMilliseconds, completion.Attempts);
        return new ExecutionResult(completion, step);
    }

    /// <summary>
    /// The executor gets the focused prompt, and the original request for reference: a 1B
    /// orchestrator may drop a detail, and the stronger model should not lose it.
    /// </summary>
    internal static string BuildMessage(OrchestrationPlan? plan, AskQuery query)
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
}
