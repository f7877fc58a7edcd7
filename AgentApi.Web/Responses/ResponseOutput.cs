using System.Text;
using AgentApi.Core.Ask;
using AgentApi.Core.Providers;

namespace AgentApi.Web.Responses;

/// <summary>
/// A response's <c>output</c> items in the order they were opened, with their ids: the assistant's message (text, then a
/// refusal) and a function call per tool call. A stream opens them as the executor's pieces arrive and keeps what it
/// sent of each; a buffered answer lays them out at once, message first. Either way the final items are made from the
/// whole answer (<see cref="Complete"/>), so the streamed and the stored response say the same.
/// </summary>
internal sealed class ResponseOutput(ResponseIdentity identity, int firstNumber)
{
    private readonly List<object> _entries = [];
    private readonly Dictionary<int, Call> _calls = [];

    /// <summary>The message item, once opened.</summary>
    public Message? OpenedMessage { get; private set; }

    /// <summary>Every call opened, in order.</summary>
    public IEnumerable<Call> Calls => _calls.Values.OrderBy(call => call.OutputIndex);

    /// <summary>Opens the message item; <paramref name="streamed"/> false for one whose events were never sent (it is not open).</summary>
    public Message OpenMessage(bool streamed = true)
    {
        OpenedMessage = new Message(identity.Numbered(new ResponseMessage(ResponseMessage.Assistant, []), firstNumber + _entries.Count).Id, _entries.Count) { Open = streamed };
        _entries.Add(OpenedMessage);
        return OpenedMessage;
    }

    public Call? CallAt(int index) => _calls.GetValueOrDefault(index);

    public Call OpenCall(int index, string callId, string name, bool streamed = true)
    {
        var call = new Call(identity.Numbered(new ResponseFunctionCall(callId, name, string.Empty), firstNumber + _entries.Count).Id, _entries.Count, index, callId, name) { Open = streamed };
        _calls[index] = call;
        _entries.Add(call);
        return call;
    }

    /// <summary>
    /// The final items: each opened item with the answer's whole text, refusal or call, and any the answer has that were
    /// not opened (all of them for a buffered answer, message first). A truncated answer's message is <c>incomplete</c>.
    /// </summary>
    public IReadOnlyList<ResponseItem> Complete(AskAnswer answer)
    {
        if (OpenedMessage is null && (answer.Answer.Length > 0 || answer.Refusal is not null || answer.ToolCalls.Count == 0))
        {
            OpenMessage(streamed: false);
        }

        for (var index = 0; index < answer.ToolCalls.Count; index++)
        {
            if (!_calls.ContainsKey(index))
            {
                OpenCall(index, answer.ToolCalls[index].Id, answer.ToolCalls[index].Name, streamed: false);
            }
        }

        var status = answer.FinishReason == FinishReason.Length ? ResponseStatus.Incomplete : ResponseStatus.Completed;
        List<ResponseItem> items = [];
        foreach (var entry in _entries)
        {
            items.Add(entry switch
            {
                Message message => new ResponseMessage(ResponseMessage.Assistant, Parts(answer)) { Id = message.Id, Status = status },
                Call call when call.Index < answer.ToolCalls.Count => new ResponseFunctionCall(
                    answer.ToolCalls[call.Index].Id, answer.ToolCalls[call.Index].Name, answer.ToolCalls[call.Index].Arguments) { Id = call.Id },
                Call call => call.Item(ResponseStatus.Completed),
                _ => throw new InvalidOperationException("Unknown output entry."),
            });
        }

        return items;
    }

    /// <summary>The items as the stream left them, for a response that failed: what was sent, marked <c>incomplete</c>.</summary>
    public IReadOnlyList<ResponseItem> SoFar() => [.. _entries.Select(entry => entry switch
    {
        Message message => (ResponseItem)message.Item(ResponseStatus.Incomplete),
        Call call => call.Item(ResponseStatus.Incomplete),
        _ => throw new InvalidOperationException("Unknown output entry."),
    })];

    /// <summary>The message's parts: the text (also when empty and there is no refusal), then the refusal.</summary>
    private static List<ResponseContent> Parts(AskAnswer answer)
    {
        List<ResponseContent> parts = [];
        if (answer.Answer.Length > 0 || answer.Refusal is null)
        {
            parts.Add(new OutputTextContent(answer.Answer));
        }

        if (answer.Refusal is { } refusal)
        {
            parts.Add(new RefusalContent(refusal));
        }

        return parts;
    }

    /// <summary>The assistant's message item as streamed: its parts, each text or refusal, with what was sent of it.</summary>
    internal sealed class Message(string id, int outputIndex)
    {
        public string Id { get; } = id;

        public int OutputIndex { get; } = outputIndex;

        public List<Part> Parts { get; } = [];

        public bool Open { get; set; } = true;

        public Part? OpenPart => Parts is [.., { Open: true } last] ? last : null;

        public ResponseMessage Item(string status) =>
            new(ResponseMessage.Assistant, [.. Parts.Select(part => part.Content())]) { Id = Id, Status = status };
    }

    /// <summary>A part of the message as streamed.</summary>
    internal sealed class Part(int index, bool refusal)
    {
        public int Index { get; } = index;

        public bool IsRefusal { get; } = refusal;

        public StringBuilder Text { get; } = new();

        public bool Open { get; set; } = true;

        public ResponseContent Content() => IsRefusal ? new RefusalContent(Text.ToString()) : new OutputTextContent(Text.ToString());
    }

    /// <summary>A function call item as streamed, with the arguments sent so far.</summary>
    internal sealed class Call(string id, int outputIndex, int index, string callId, string name)
    {
        public string Id { get; } = id;

        public int OutputIndex { get; } = outputIndex;

        /// <summary>Which of the answer's tool calls it is.</summary>
        public int Index { get; } = index;

        public string CallId { get; } = callId;

        public string Name { get; } = name;

        public StringBuilder Arguments { get; } = new();

        public bool Open { get; set; } = true;

        public ResponseFunctionCall Item(string status) => new(CallId, Name, Arguments.ToString()) { Id = Id, Status = status };
    }
}
