using System.Text.Json;
using AgentApi.Core.Ask;
using AgentApi.Web.Ask;

namespace AgentApi.Web.Pipeline;

/// <summary>
/// One way in to the ask pipeline (<c>/api/ask</c>, <c>/api/ask/stream</c>, <c>/v1/chat/completions</c>, <c>/v1/responses</c>): how the
/// pipeline's results and events are written in this door's wire format. Admission, the ask, the stream's rules,
/// accounting, the summary line and the errors before an answer started are the pipeline's; a door only writes.
/// </summary>
internal interface IAskDoor
{
    /// <summary>The door's name in the ask's summary line: <c>ask</c>, <c>ask-stream</c>, <c>chat-completions</c>, <c>responses</c>, with <c>-stream</c> when streamed.</summary>
    string Name { get; }

    /// <summary>True when the door answers with server-sent events.</summary>
    bool Streams { get; }

    /// <summary>True when the door answers a content-filtered ask as an answer (OpenAI's <c>finish_reason: content_filter</c>) rather than an error.</summary>
    bool AnswersContentFilter { get; }

    /// <summary>The JSON settings of the door's stream events.</summary>
    JsonSerializerOptions StreamJson { get; }

    /// <summary>A buffered answer.</summary>
    Task WriteAnswerAsync(HttpContext context, AskResult result, CancellationToken cancellationToken);

    /// <summary>A buffered answer the executor withheld (when <see cref="AnswersContentFilter"/>).</summary>
    Task WriteContentFilteredAsync(HttpContext context, CancellationToken cancellationToken);

    /// <summary>Headers of a stream, from the events held before it starts (the plan; a cached replay whole).</summary>
    void WriteStreamHeaders(IHeaderDictionary headers, IReadOnlyList<AskStreamEvent> held);

    /// <summary>What the stream opens with, before the first held event.</summary>
    Task OpenStreamAsync(ServerSentEventStream stream, CancellationToken cancellationToken);

    /// <summary>One event of the ask's stream.</summary>
    Task WriteEventAsync(ServerSentEventStream stream, AskStreamEvent update, CancellationToken cancellationToken);

    /// <summary>The end of a stream whose answer the executor withheld (when <see cref="AnswersContentFilter"/>).</summary>
    Task WriteContentFilteredAsync(ServerSentEventStream stream, CancellationToken cancellationToken);

    /// <summary>A failure after the stream started: its last event, so no client takes a cut answer for a whole one.</summary>
    Task WriteStreamErrorAsync(HttpContext context, ServerSentEventStream stream, Exception exception, CancellationToken cancellationToken);
}
