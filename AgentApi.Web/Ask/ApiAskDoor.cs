using System.Text.Json;
using AgentApi.Core.Ask;
using AgentApi.Core.Providers;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.Errors;
using AgentApi.Web.Pipeline;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Ask;

/// <summary>
/// <c>/api/ask</c> and <c>/api/ask/stream</c> as a door of the ask pipeline: the answer as <see cref="AskResponse"/>, the
/// stream as named events (<c>plan</c>, <c>delta</c>, <c>done</c>, or <c>error</c> after a failure), errors as problem details.
/// </summary>
internal sealed class ApiAskDoor(bool streams, JsonSerializerOptions json) : IAskDoor
{
    public static ApiAskDoor For(HttpContext context, bool streams) =>
        new(streams, context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.JsonSerializerOptions);

    public string Name => streams ? "ask-stream" : "ask";

    public bool Streams => streams;

    /// <summary>A withheld answer is an error here (502 <c>content-filtered</c>), as the contract says.</summary>
    public bool AnswersContentFilter => false;

    public JsonSerializerOptions StreamJson => json;

    public Task WriteAnswerAsync(HttpContext context, AskResult result, CancellationToken cancellationToken) =>
        context.Response.WriteAsJsonAsync(AskResponse.From(result, context.TraceIdentifier), json, cancellationToken);

    public Task WriteContentFilteredAsync(HttpContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

    public void WriteStreamHeaders(IHeaderDictionary headers, IReadOnlyList<AskStreamEvent> held)
    {
        // The plan event carries the route, the fallback and whether the answer is cached.
    }

    public Task OpenStreamAsync(ServerSentEventStream stream, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task WriteEventAsync(ServerSentEventStream stream, AskStreamEvent update, CancellationToken cancellationToken) => update switch
    {
        AskStreamPlan plan => stream.WriteEventAsync(AskStreamEvents.Plan, new AskStreamPlanEvent(stream.RequestId, plan.Route, plan.RefinedPrompt, plan.Fallback, plan.FallbackReason, plan.Cached), cancellationToken),
        AskStreamDelta delta => stream.WriteEventAsync(AskStreamEvents.Delta, new AskStreamDeltaEvent(delta.Text), cancellationToken),
        AskStreamDone done => stream.WriteEventAsync(AskStreamEvents.Done, AskStreamDoneEvent.From(done.Result, stream.RequestId), cancellationToken),

        // No tools on /api; a refusal is whole in the done event, and so is who answered (its executor).
        AskStreamToolCallDelta or AskStreamRefusalDelta or AskStreamAnswering => Task.CompletedTask,
        _ => throw new InvalidOperationException($"Unknown stream event {update.GetType().Name}."),
    };

    public Task WriteContentFilteredAsync(ServerSentEventStream stream, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <summary>The failure as the stream's last event, never a silent end that looks complete.</summary>
    public Task WriteStreamErrorAsync(HttpContext context, ServerSentEventStream stream, Exception exception, CancellationToken cancellationToken)
    {
        var (status, type, title, detail) = ProblemDetailsExceptionHandler.Describe(exception);
        var provider = exception as ProviderException;
        return stream.WriteEventAsync(
            AskStreamEvents.Error,
            new AskStreamErrorEvent(type, title, status, detail, stream.RequestId, provider?.Role, provider?.Provider, RequestTrace.TraceIdOf(context)),
            cancellationToken);
    }
}
