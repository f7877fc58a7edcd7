using AgentApi.Core.Ask;
using AgentApi.Core.Providers;
using AgentApi.Web.Ask;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.Errors;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// One streamed chat completion on the ask pipeline's stream (<see cref="IAskService.StreamAsync"/>) and the SSE writer
/// of <c>/api/ask/stream</c>: OpenAI's <c>chat.completion.chunk</c> events, all with one id: the assistant role, the
/// executor's text as it arrives, the finish reason, the usage when asked for, then <c>data: [DONE]</c>. Nothing is
/// sent before the executor's first text, so an early failure is an ordinary OpenAI error with its status.
/// A failure after that is an in-band <c>{"error": …}</c> event (the Python and Node SDKs raise it) and the connection
/// is aborted without <c>[DONE]</c> or the chunked body's end, so the .NET SDK, which skips in-band errors, raises too:
/// no client takes a cut answer for a whole one.
/// </summary>
internal sealed class ChatCompletionStream(HttpContext context, ChatCompletionCall call, string id, long created, TimeProvider timeProvider, ILogger logger)
{
    private const string Done = "[DONE]";

    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(100);

    public async Task RunAsync(IAsyncEnumerable<AskStreamEvent> answer, TimeSpan heartbeat, CancellationToken cancellationToken)
    {
        await using var events = answer.GetAsyncEnumerator(cancellationToken);
        var held = new List<AskStreamEvent>();
        var filtered = false;
        try
        {
            // Hold the status line until the executor's first text; a cached answer is replayed whole, read it to its
            // end so the headers can tell a hit from a coalesced ask.
            while (held.LastOrDefault() is not (AskStreamDelta or AskStreamDone) && await events.MoveNextAsync())
            {
                held.Add(events.Current);
            }

            while (held.OfType<AskStreamPlan>().FirstOrDefault() is { Cached: true } && held[^1] is not AskStreamDone && await events.MoveNextAsync())
            {
                held.Add(events.Current);
            }
        }
        catch (ProviderException ex) when (ex.Failure == ProviderFailure.ContentFiltered)
        {
            filtered = true;
        }

        WriteHeaders(context.Response.Headers, held);
        await using var stream = new ServerSentEventStream(context.Response, OpenAICompatibleJsonContext.Default.Options, timeProvider);
        try
        {
            await stream.StartAsync(heartbeat, cancellationToken);
            await WriteChunkAsync(stream, new ChatCompletionDelta(Role: "assistant", Content: string.Empty), finishReason: null, cancellationToken);
            if (filtered)
            {
                await FinishAsync(stream, "content_filter", TokenUsage.None, cancellationToken);
                return;
            }

            foreach (var update in held)
            {
                await WriteAsync(stream, update, cancellationToken);
            }

            while (await events.MoveNextAsync())
            {
                await WriteAsync(stream, events.Current, cancellationToken);
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The caller left; the provider call was cancelled with the request.
        }
        catch (ProviderException ex) when (ex.Failure == ProviderFailure.ContentFiltered)
        {
            Log.ContentFiltered(logger);
            await FinishAsync(stream, "content_filter", TokenUsage.None, cancellationToken);
        }
        catch (Exception ex)
        {
            OpenAIError error;
            if (ex is ProviderException provider)
            {
                error = OpenAIErrors.From(provider);
                Log.StreamFailed(logger, provider.Role, provider.Provider, provider.Failure, error.Code, ProblemDetailsExceptionHandler.DescribeCause(provider));
            }
            else
            {
                error = new OpenAIError(StatusCodes.Status500InternalServerError, "The server had an error while processing your request.", OpenAIErrors.ServerError, null, "unexpected");
                Log.StreamFailedUnexpectedly(logger, ex);
            }

            await stream.WriteDataAsync(OpenAIErrorResponse.From(error), cancellationToken);

            // Abort discards what the socket loop has not sent yet: give it a moment to send the error event first.
            await Task.Delay(AbortGrace, timeProvider, CancellationToken.None);
            context.Abort();
        }
    }

    private async Task WriteAsync(ServerSentEventStream stream, AskStreamEvent update, CancellationToken cancellationToken)
    {
        switch (update)
        {
            case AskStreamDelta { Text.Length: > 0 } delta:
                await WriteChunkAsync(stream, new ChatCompletionDelta(Content: delta.Text), finishReason: null, cancellationToken);
                break;
            case AskStreamDone done:
                context.Features.Get<RequestTelemetry>()?.Ask = done.Result;
                await FinishAsync(stream, done.Result.Answer.Truncated ? "length" : "stop", done.Result.Answer.Usage, cancellationToken);
                break;
        }
    }

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

    private static void WriteHeaders(IHeaderDictionary headers, List<AskStreamEvent> held)
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

        headers[AskHeaders.Cache] = held.OfType<AskStreamDone>().FirstOrDefault() is { } done ? AskHeaders.CacheValue(done.Result.Source) : "miss";
    }
}
