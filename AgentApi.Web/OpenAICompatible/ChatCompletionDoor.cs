using System.Text.Json;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Providers;
using AgentApi.Web.Ask;
using AgentApi.Web.Pipeline;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// <c>/v1/chat/completions</c> as a door of the ask pipeline: OpenAI's <c>chat.completion</c> (with <c>tool_calls</c>
/// and <c>refusal</c> when the executor made them), or its <c>chat.completion.chunk</c> events all with one id (the
/// assistant role, the executor's text, tool-call and refusal pieces as they arrive, the finish reason, the usage when
/// asked for, then <c>data: [DONE]</c>); how the answer was made goes in headers
/// (<see cref="AskHeaders"/>). A withheld answer is a completion with <c>finish_reason: content_filter</c>, as OpenAI
/// reports it. A failure after the stream started is an in-band <c>{"error": …}</c> event (the Python and Node SDKs
/// raise it) and the connection is aborted without <c>[DONE]</c> or the chunked body's end, so the .NET SDK, which
/// skips in-band errors, raises too: no client takes a cut answer for a whole one.
/// </summary>
internal sealed class ChatCompletionDoor(ChatCompletionCall call, string id, long created, TimeProvider timeProvider) : IAskDoor
{
    private const string Done = "[DONE]";

    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(100);

    public bool Streams => call.Stream;

    public bool AnswersContentFilter => true;

    public JsonSerializerOptions StreamJson => JsonWire.OpenAI.Options;

    public static string NewId() => "chatcmpl-" + Guid.CreateVersion7().ToString("N");

    public Task WriteAnswerAsync(HttpContext context, AskResult result, CancellationToken cancellationToken)
    {
        AskHeaders.Write(context.Response.Headers, result);
        var answer = result.Answer;
        var message = answer.ToolCalls.Count == 0 && answer.Refusal is null
            ? new ChatCompletionMessage(answer.Answer)
            : new ChatCompletionMessage(
                answer.Answer.Length == 0 ? null : answer.Answer,
                Refusal: answer.Refusal,
                ToolCalls: answer.ToolCalls.Count == 0 ? null : [.. answer.ToolCalls.Select(call => new ChatCompletionToolCall(call.Id, new ChatCompletionFunctionCall(call.Name, call.Arguments)))]);
        return WriteCompletionAsync(context, message, FinishReasons.Name(answer.FinishReason), Spent(result), cancellationToken);
    }

    public Task WriteContentFilteredAsync(HttpContext context, CancellationToken cancellationToken) =>
        WriteCompletionAsync(context, new ChatCompletionMessage(string.Empty), FinishReasons.ContentFilter, TokenUsage.None, cancellationToken);

    public void WriteStreamHeaders(IHeaderDictionary headers, IReadOnlyList<AskStreamEvent> held)
    {
        if (held.OfType<AskStreamPlan>().FirstOrDefault() is not { } plan)
        {
            return;
        }

        headers[AskHeaders.Route] = plan.Route;
        headers[AskHeaders.Fallback] = plan.Fallback ? "true" : "false";
        if (plan.FallbackReason is { } reason)
        {
            headers[AskHeaders.FallbackReason] = reason;
        }

        var done = held.OfType<AskStreamDone>().FirstOrDefault();
        headers[AskHeaders.Cache] = CacheSources.Name(done?.Result.Source ?? CacheSource.Produced);
        if (held.OfType<AskStreamAnswering>().FirstOrDefault() is { } answering)
        {
            AskHeaders.WriteExecutor(headers, answering.Provider, answering.Model, answering.FallbackFrom);
        }
        else if (done is not null)
        {
            var executor = done.Result.Answer.Executor;
            AskHeaders.WriteExecutor(headers, executor.Provider, executor.Model, executor.FallbackFrom);
        }
    }

    public Task OpenStreamAsync(ServerSentEventStream stream, CancellationToken cancellationToken) =>
        WriteChunkAsync(stream, new ChatCompletionDelta(Role: "assistant", Content: string.Empty), finishReason: null, cancellationToken);

    public Task WriteEventAsync(ServerSentEventStream stream, AskStreamEvent update, CancellationToken cancellationToken) => update switch
    {
        AskStreamDelta { Text.Length: > 0 } delta => WriteChunkAsync(stream, new ChatCompletionDelta(Content: delta.Text), finishReason: null, cancellationToken),
        AskStreamToolCallDelta { Call: var call } => WriteChunkAsync(
            stream,
            new ChatCompletionDelta(ToolCalls: [new ChatCompletionToolCallChunk(call.Index, call.Id, call.Id is null ? null : "function", new ChatCompletionFunctionCall(call.Name, call.Arguments))]),
            finishReason: null,
            cancellationToken),
        AskStreamRefusalDelta refusal => WriteChunkAsync(stream, new ChatCompletionDelta(Refusal: refusal.Text), finishReason: null, cancellationToken),
        AskStreamDone done => FinishAsync(stream, FinishReasons.Name(done.Result.Answer.FinishReason), Spent(done.Result), cancellationToken),
        _ => Task.CompletedTask,
    };

    public Task WriteContentFilteredAsync(ServerSentEventStream stream, CancellationToken cancellationToken) =>
        FinishAsync(stream, FinishReasons.ContentFilter, TokenUsage.None, cancellationToken);

    public async Task WriteStreamErrorAsync(HttpContext context, ServerSentEventStream stream, Exception exception, CancellationToken cancellationToken)
    {
        var error = exception is ProviderException provider
            ? OpenAIErrors.From(provider)
            : new OpenAIError(StatusCodes.Status500InternalServerError, "The server had an error while processing your request.", OpenAIErrors.ServerError, null, "unexpected");
        await stream.WriteDataAsync(OpenAIErrorResponse.From(error), cancellationToken);

        // Abort discards what the socket loop has not sent yet: give it a moment to send the error event first.
        await Task.Delay(AbortGrace, timeProvider, CancellationToken.None);
        context.Abort();
    }

    /// <summary>What this request spent, so a client adding up <c>usage</c> gets what it cost: nothing for a cached answer (its original figures are in <see cref="AskHeaders.Usage"/>).</summary>
    private static TokenUsage Spent(AskResult result) => result.Cached ? TokenUsage.None : result.Answer.Usage;

    private Task WriteCompletionAsync(HttpContext context, ChatCompletionMessage message, string finishReason, TokenUsage usage, CancellationToken cancellationToken) =>
        context.Response.WriteAsJsonAsync(
            new ChatCompletionResponse(id, created, call.Model, [new ChatCompletionChoice(0, message, finishReason)], ChatCompletionUsage.From(usage)),
            JsonWire.OpenAI.ChatCompletionResponse,
            contentType: null,
            cancellationToken);

    private async Task FinishAsync(ServerSentEventStream stream, string finishReason, TokenUsage usage, CancellationToken cancellationToken)
    {
        await WriteChunkAsync(stream, new ChatCompletionDelta(), finishReason, cancellationToken);
        if (call.IncludeUsage)
        {
            await stream.WriteDataAsync(new ChatCompletionChunk(id, created, call.Model, [], ChatCompletionUsage.From(usage)), cancellationToken);
        }

        await stream.WriteRawDataAsync(Done, cancellationToken);
    }

    private Task WriteChunkAsync(ServerSentEventStream stream, ChatCompletionDelta delta, string? finishReason, CancellationToken cancellationToken) =>
        stream.WriteDataAsync(new ChatCompletionChunk(id, created, call.Model, [new ChatCompletionChunkChoice(0, delta, finishReason)], Usage: null), cancellationToken);
}
