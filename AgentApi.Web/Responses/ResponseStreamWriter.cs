using AgentApi.Core.Providers;
using AgentApi.Web.Ask;
using AgentApi.Web.OpenAICompatible;

namespace AgentApi.Web.Responses;

/// <summary>
/// A response's stream events in OpenAI's order, each an SSE event named by its type and numbered from 0
/// (<c>sequence_number</c>): for each output item <c>response.output_item.added</c>, then for the message
/// <c>response.content_part.added</c>, its text or refusal deltas, their <c>.done</c> and <c>response.content_part.done</c>,
/// for a function call its <c>response.function_call_arguments.delta</c> pieces and <c>.done</c>, then
/// <c>response.output_item.done</c>. An item is closed when the next one opens or the response ends.
/// </summary>
internal sealed class ResponseStreamWriter(ServerSentEventStream stream, ResponseOutput output)
{
    private int _sequence;

    public Task LifecycleAsync(string type, ResponseObject response, CancellationToken cancellationToken) =>
        stream.WriteEventAsync(type, new ResponseLifecycleEvent(type, Next(), response), cancellationToken);

    /// <summary>A piece of the message's text, or of its refusal (a part of its own after the text).</summary>
    public async Task TextAsync(string text, bool refusal, CancellationToken cancellationToken)
    {
        var message = output.OpenedMessage;
        if (message is null)
        {
            await CloseAsync(ResponseStatus.Completed, cancellationToken);
            message = output.OpenMessage();
            await ItemAsync(ResponseEvents.OutputItemAdded, message.OutputIndex, message.Item(ResponseStatus.InProgress), cancellationToken);
        }
        else if (!message.Open)
        {
            // Text after the function calls (no provider writes it so): the final response has it, a closed item no more events.
            return;
        }

        var part = message.OpenPart;
        if (part is null || part.IsRefusal != refusal)
        {
            if (part is not null)
            {
                await ClosePartAsync(message, part, cancellationToken);
            }

            part = new ResponseOutput.Part(message.Parts.Count, refusal);
            message.Parts.Add(part);
            await PartAsync(ResponseEvents.ContentPartAdded, message, part, cancellationToken);
        }

        if (text.Length == 0)
        {
            return;
        }

        part.Text.Append(text);
        await (refusal
            ? stream.WriteEventAsync(ResponseEvents.RefusalDelta, new ResponseRefusalDeltaEvent(Next(), message.Id, message.OutputIndex, part.Index, text), cancellationToken)
            : stream.WriteEventAsync(ResponseEvents.TextDelta, new ResponseTextDeltaEvent(Next(), message.Id, message.OutputIndex, part.Index, text), cancellationToken));
    }

    /// <summary>A piece of a tool call: the first opens its function call item, the others add to its arguments.</summary>
    public async Task CallAsync(ToolCallDelta delta, CancellationToken cancellationToken)
    {
        var call = output.CallAt(delta.Index);
        if (call is null)
        {
            await CloseAsync(ResponseStatus.Completed, cancellationToken);
            call = output.OpenCall(delta.Index, delta.Id ?? string.Empty, delta.Name ?? string.Empty);
            await ItemAsync(ResponseEvents.OutputItemAdded, call.OutputIndex, call.Item(ResponseStatus.InProgress), cancellationToken);
        }

        if (!call.Open || delta.Arguments.Length == 0)
        {
            return;
        }

        call.Arguments.Append(delta.Arguments);
        await stream.WriteEventAsync(ResponseEvents.ArgumentsDelta, new ResponseFunctionCallArgumentsDeltaEvent(Next(), call.Id, call.OutputIndex, delta.Arguments), cancellationToken);
    }

    /// <summary>Closes the open item, if any: its parts' or arguments' <c>.done</c> events, then <c>response.output_item.done</c>; a message with <paramref name="status"/>.</summary>
    public async Task CloseAsync(string status, CancellationToken cancellationToken)
    {
        if (output.OpenedMessage is { Open: true } message)
        {
            if (message.OpenPart is { } part)
            {
                await ClosePartAsync(message, part, cancellationToken);
            }

            message.Open = false;
            await ItemAsync(ResponseEvents.OutputItemDone, message.OutputIndex, message.Item(status), cancellationToken);
        }

        foreach (var call in output.Calls.Where(call => call.Open))
        {
            call.Open = false;
            var arguments = call.Arguments.ToString();
            await stream.WriteEventAsync(ResponseEvents.ArgumentsDone, new ResponseFunctionCallArgumentsDoneEvent(Next(), call.Id, call.OutputIndex, call.Name, arguments), cancellationToken);
            await ItemAsync(ResponseEvents.OutputItemDone, call.OutputIndex, call.Item(ResponseStatus.Completed), cancellationToken);
        }
    }

    /// <summary>The <c>error</c> event of a failure after the stream started.</summary>
    public Task ErrorAsync(OpenAIError error, CancellationToken cancellationToken)
    {
        var detail = OpenAIErrorResponse.From(error).Error;
        return stream.WriteEventAsync(ResponseEvents.Error, new ResponseErrorEvent(Next(), error.Code, error.Message, error.Param, detail), cancellationToken);
    }

    private async Task ClosePartAsync(ResponseOutput.Message message, ResponseOutput.Part part, CancellationToken cancellationToken)
    {
        part.Open = false;
        var text = part.Text.ToString();
        await (part.IsRefusal
            ? stream.WriteEventAsync(ResponseEvents.RefusalDone, new ResponseRefusalDoneEvent(Next(), message.Id, message.OutputIndex, part.Index, text), cancellationToken)
            : stream.WriteEventAsync(ResponseEvents.TextDone, new ResponseTextDoneEvent(Next(), message.Id, message.OutputIndex, part.Index, text), cancellationToken));
        await PartAsync(ResponseEvents.ContentPartDone, message, part, cancellationToken);
    }

    private Task PartAsync(string type, ResponseOutput.Message message, ResponseOutput.Part part, CancellationToken cancellationToken) =>
        stream.WriteEventAsync(type, new ResponseContentPartEvent(type, Next(), message.Id, message.OutputIndex, part.Index, part.Content()), cancellationToken);

    private Task ItemAsync(string type, int outputIndex, ResponseItem item, CancellationToken cancellationToken) =>
        stream.WriteEventAsync(type, new ResponseOutputItemEvent(type, Next(), outputIndex, item), cancellationToken);

    private int Next() => _sequence++;
}
