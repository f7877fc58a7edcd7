using System.Text.Json;
using AgentApi.Core.Ask;
using AgentApi.Core.Providers;
using AgentApi.Core.Responses;
using AgentApi.Web.Ask;
using AgentApi.Web.OpenAICompatible;
using AgentApi.Web.Pipeline;

namespace AgentApi.Web.Responses;

/// <summary>
/// <c>/v1/responses</c> as a door of the ask pipeline: a <c>response</c> object (<c>output</c> with the assistant's
/// message and its function calls, <c>usage</c>, <c>incomplete_details</c> when cut short), or its typed stream events
/// (<see cref="ResponseStreamWriter"/>) between <c>response.created</c>/<c>response.in_progress</c> and
/// <c>response.completed</c> or <c>response.incomplete</c>. How the answer was made goes in headers
/// (<see cref="AskHeaders"/>), as on <c>/v1/chat/completions</c>. A withheld answer is an <c>incomplete</c> response for
/// <c>content_filter</c>. A failure after the stream started is <c>response.failed</c> and an <c>error</c> event, then the
/// connection is aborted, as the chat door does. The response is stored (when asked and on) before the caller gets its
/// last word, so a next turn sent the moment it arrives finds it; a failed response is not stored.
/// </summary>
internal sealed class ResponseDoor : IAskDoor
{
    private readonly ResponseRequest _request;
    private readonly ResponseIdentity _identity;
    private readonly IReadOnlyList<ResponseItem> _input;
    private readonly IResponseStore _store;
    private readonly string _owner;
    private readonly TimeProvider _timeProvider;
    private readonly long _createdAt;
    private readonly bool _stores;
    private readonly ResponseOutput _output;
    private ResponseStreamWriter? _writer;

    /// <param name="request">The request as read.</param>
    /// <param name="identity">The response's ids.</param>
    /// <param name="input">The request's input items, numbered.</param>
    /// <param name="store">Where the response is kept.</param>
    /// <param name="owner">Whose it is (<see cref="ResponseOwner"/>).</param>
    /// <param name="timeProvider">The clock of <c>created_at</c> and <c>completed_at</c>.</param>
    public ResponseDoor(ResponseRequest request, ResponseIdentity identity, IReadOnlyList<ResponseItem> input, IResponseStore store, string owner, TimeProvider timeProvider)
    {
        _request = request;
        _identity = identity;
        _input = input;
        _store = store;
        _owner = owner;
        _timeProvider = timeProvider;
        _createdAt = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        _stores = request.Store && store.Enabled;
        _output = new ResponseOutput(identity, input.Count);
    }

    public string Name => _request.Stream ? "responses-stream" : "responses";

    public bool Streams => _request.Stream;

    public bool AnswersContentFilter => true;

    public JsonSerializerOptions StreamJson => JsonWire.Responses.Options;

    private ResponseStreamWriter Writer => _writer ?? throw new InvalidOperationException("The stream is not open.");

    public async Task WriteAnswerAsync(HttpContext context, AskResult result, CancellationToken cancellationToken)
    {
        AskHeaders.Write(context.Response.Headers, result);
        await WriteAsync(context, Finished(result), cancellationToken);
    }

    public Task WriteContentFilteredAsync(HttpContext context, CancellationToken cancellationToken) => WriteAsync(context, Filtered(), cancellationToken);

    public void WriteStreamHeaders(IHeaderDictionary headers, IReadOnlyList<AskStreamEvent> held) => AskHeaders.WriteForStream(headers, held);

    public async Task OpenStreamAsync(ServerSentEventStream stream, CancellationToken cancellationToken)
    {
        _writer = new ResponseStreamWriter(stream, _output);
        var started = Snapshot(ResponseStatus.InProgress, [], usage: null, error: null, incomplete: null);
        await Writer.LifecycleAsync(ResponseEvents.Created, started, cancellationToken);
        await Writer.LifecycleAsync(ResponseEvents.InProgress, started, cancellationToken);
    }

    public Task WriteEventAsync(ServerSentEventStream stream, AskStreamEvent update, CancellationToken cancellationToken) => update switch
    {
        AskStreamDelta delta => Writer.TextAsync(delta.Text, refusal: false, cancellationToken),
        AskStreamRefusalDelta refusal => Writer.TextAsync(refusal.Text, refusal: true, cancellationToken),
        AskStreamToolCallDelta call => Writer.CallAsync(call.Call, cancellationToken),
        AskStreamDone done => FinishAsync(done.Result, cancellationToken),
        _ => Task.CompletedTask,
    };

    public async Task WriteContentFilteredAsync(ServerSentEventStream stream, CancellationToken cancellationToken)
    {
        await Writer.CloseAsync(ResponseStatus.Incomplete, cancellationToken);
        var response = Filtered();
        await SaveAsync(response, cancellationToken);
        await Writer.LifecycleAsync(ResponseEvents.Incomplete, response, cancellationToken);
    }

    public async Task WriteStreamErrorAsync(HttpContext context, ServerSentEventStream stream, Exception exception, CancellationToken cancellationToken)
    {
        var error = OpenAIErrors.AfterStart(exception);
        var failed = Snapshot(ResponseStatus.Failed, _output.SoFar(), usage: null, new ResponseError(error.Code ?? error.Type, error.Message), incomplete: null);
        await Writer.LifecycleAsync(ResponseEvents.Failed, failed, cancellationToken);
        await Writer.ErrorAsync(error, cancellationToken);
        await stream.AbortAsync();
    }

    private async Task FinishAsync(AskResult result, CancellationToken cancellationToken)
    {
        await Writer.CloseAsync(result.Answer.FinishReason == FinishReason.Length ? ResponseStatus.Incomplete : ResponseStatus.Completed, cancellationToken);
        var response = Finished(result);
        await SaveAsync(response, cancellationToken);
        await Writer.LifecycleAsync(response.Status == ResponseStatus.Completed ? ResponseEvents.Completed : ResponseEvents.Incomplete, response, cancellationToken);
    }

    private async Task WriteAsync(HttpContext context, ResponseObject response, CancellationToken cancellationToken)
    {
        await SaveAsync(response, cancellationToken);
        await context.Response.WriteAsJsonAsync(response, JsonWire.Responses.ResponseObject, contentType: null, cancellationToken);
    }

    /// <summary>
    /// The answered response: <c>completed</c>, or <c>incomplete</c> when the executor hit its output limit. Its usage is
    /// what this request spent: nothing for an answer from the cache (its original figures are in <see cref="AskHeaders.Usage"/>).
    /// </summary>
    private ResponseObject Finished(AskResult result)
    {
        var answer = result.Answer;
        var incomplete = answer.FinishReason switch
        {
            FinishReason.Length => ResponseIncompleteDetails.MaxOutputTokens,
            FinishReason.ContentFilter => ResponseIncompleteDetails.ContentFilter,
            _ => null,
        };
        return Snapshot(incomplete is null ? ResponseStatus.Completed : ResponseStatus.Incomplete, _output.Complete(answer),
            ResponseUsage.From(result.Cached ? TokenUsage.None : answer.Usage), error: null, incomplete);
    }

    /// <summary>The executor withheld the answer: <c>incomplete</c> for <c>content_filter</c>, with no output and no usage, as OpenAI reports it.</summary>
    private ResponseObject Filtered() =>
        Snapshot(ResponseStatus.Incomplete, [], ResponseUsage.From(TokenUsage.None), error: null, ResponseIncompleteDetails.ContentFilter);

    private ResponseObject Snapshot(string status, IReadOnlyList<ResponseItem> output, ResponseUsage? usage, ResponseError? error, ResponseIncompleteDetails? incomplete) => new(
        _identity.ResponseId,
        _createdAt,
        status,
        status == ResponseStatus.Completed ? _timeProvider.GetUtcNow().ToUnixTimeSeconds() : null,
        error,
        incomplete,
        _request.Instructions,
        _request.MaxOutputTokens,
        _request.Model,
        output,
        _request.ParallelToolCalls ?? true,
        _request.PreviousResponseId,
        _stores,
        _request.Temperature,
        new ResponseText(ResponseTextFormat.Of(_request.Format)),
        ResponseJson.ToolChoice(_request.ToolChoice),
        [.. _request.Tools?.Tools.Select(ResponseFunctionTool.Of) ?? []],
        _request.TopP,
        usage,
        _request.User,
        _request.SafetyIdentifier,
        _request.Metadata);

    private ValueTask SaveAsync(ResponseObject response, CancellationToken cancellationToken) => _stores
        ? _store.SaveAsync(_owner, new StoredResponse(
            response.Id,
            _request.PreviousResponseId,
            JsonSerializer.Serialize(response, JsonWire.Responses.ResponseObject),
            JsonSerializer.Serialize(_input, JsonWire.Responses.IReadOnlyListResponseItem)), cancellationToken)
        : ValueTask.CompletedTask;
}
