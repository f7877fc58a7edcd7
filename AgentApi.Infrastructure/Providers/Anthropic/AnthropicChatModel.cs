using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers.Resilience;
using Microsoft.Extensions.Logging;

namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary>A Claude model behind Anthropic's Messages API, buffered or streamed; the request is translated by <see cref="AnthropicRequestBuilder"/>.</summary>
// http: the role's HttpClient, the one under api (auth, Polly, attempt handler). Streams are sent on it directly with
// ResponseHeadersRead, because Refit reads a whole response before returning it.
internal sealed class AnthropicChatModel(IAnthropicApi api, HttpClient http, ProviderChannel channel, ProviderPolicies policies, ILogger<AnthropicChatModel> logger)
    : ProviderChatModel(channel, policies, logger)
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    // The path Refit's [Post("/messages")] appends to the base URL, which carries the API version (/v1).
    private readonly Uri _messages = new(channel.BaseUrl.ToString().TrimEnd('/') + "/messages");

    protected override bool StreamsBody => true;

    protected override async Task<ChatCompletion> SendAsync(ChatRequest request, ProviderCall call, CancellationToken cancellationToken)
    {
        var response = await api.CreateMessageAsync(AnthropicRequestBuilder.Build(Channel, request), call, cancellationToken);
        return ToCompletion(ContentOf(response, call), call);
    }

    /// <summary>
    /// <c>stream: true</c>, read event by event: text as it comes, each <c>tool_use</c> block as tool-call pieces (its id and name,
    /// then its <c>input_json_delta</c> pieces), usage from <c>message_start</c> (input) and <c>message_delta</c> (cumulative output).
    /// Complete only at <c>message_stop</c>; the end of the body before it, a stall longer than an attempt's timeout, data that is
    /// not JSON, or an <c>error</c> event is a failure, whatever was already yielded. <c>ping</c> and unknown events are skipped.
    /// </summary>
    protected override async IAsyncEnumerable<ChatStreamUpdate> StreamCoreAsync(ChatRequest request, ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var body = AnthropicRequestBuilder.Build(Channel, request) with { Stream = true };
        using var message = new HttpRequestMessage(HttpMethod.Post, _messages)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, AnthropicJsonContext.Default.AnthropicMessagesRequest)) { Headers = { ContentType = JsonMediaType } },
        };
        call.AttachTo(message);
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        EnsureSuccess(response, call);

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new SseReader(stream, Channel.AttemptTimeout);
        var text = new StringBuilder();
        var calls = new List<(string Id, string Name, StringBuilder Input)>();
        var toolOfBlock = new Dictionary<int, int>();
        string? model = null;
        var input = 0;
        var output = 0;
        string? stopReason = null;
        while (await reader.ReadEventAsync(cancellationToken) is { } sse)
        {
            switch (sse.Type)
            {
                case "ping":
                    continue;
                case "error":
                    throw StreamError(call, sse.Data);
                case "message_start" or "content_block_start" or "content_block_delta" or "content_block_stop" or "message_delta" or "message_stop":
                    break;
                default:
                    // Events added after this was written; the SDKs skip them too.
                    continue;
            }

            var data = JsonSerializer.Deserialize(sse.Data, AnthropicJsonContext.Default.AnthropicStreamEvent)
                ?? throw InvalidResponse(call, "sent an event that is not an object", sse.Data);
            switch (sse.Type)
            {
                case "message_start":
                    model = data.Message?.Model;
                    input = data.Message?.Usage?.TotalInput ?? input;
                    output = data.Message?.Usage?.OutputTokens ?? output;
                    break;
                case "content_block_start" when data.ContentBlock is { Type: "tool_use" } block && data.Index is { } index:
                    toolOfBlock[index] = calls.Count;
                    calls.Add((block.Id ?? string.Empty, block.Name ?? string.Empty, new StringBuilder()));
                    yield return ChatStreamUpdate.ToolCallPiece(new ToolCallDelta(calls.Count - 1, block.Id, block.Name, string.Empty));
                    break;
                case "content_block_start" when data.ContentBlock is { Type: "text", Text: { Length: > 0 } opening }:
                    text.Append(opening);
                    yield return ChatStreamUpdate.Delta(opening);
                    break;
                case "content_block_delta" when data.Delta is { Type: "text_delta", Text: { Length: > 0 } piece }:
                    text.Append(piece);
                    yield return ChatStreamUpdate.Delta(piece);
                    break;
                case "content_block_delta" when data.Delta is { Type: "input_json_delta", PartialJson: { Length: > 0 } json }
                    && data.Index is { } index && toolOfBlock.TryGetValue(index, out var tool):
                    calls[tool].Input.Append(json);
                    yield return ChatStreamUpdate.ToolCallPiece(new ToolCallDelta(tool, null, null, json));
                    break;
                case "content_block_stop" when data.Index is { } index && toolOfBlock.TryGetValue(index, out var tool) && calls[tool].Input.Length == 0:
                    // A call without arguments streams no input at all; buffered, its input is {}.
                    calls[tool].Input.Append("{}");
                    yield return ChatStreamUpdate.ToolCallPiece(new ToolCallDelta(tool, null, null, "{}"));
                    break;
                case "message_delta":
                    stopReason = data.Delta?.StopReason ?? stopReason;
                    input = data.Usage?.TotalInput ?? input;
                    output = data.Usage?.OutputTokens ?? output;
                    break;
                case "message_stop":
                    yield return ChatStreamUpdate.Final(new ChatCompletion(text.ToString(), model ?? call.Model, new TokenUsage(input, output), MapFinishReason(stopReason))
                    {
                        ToolCalls = [.. calls.Select(toolCall => new ToolCall(toolCall.Id, toolCall.Name, toolCall.Input.ToString()))],
                    });
                    yield break;
            }
        }

        throw new IOException("The answer stream ended without event: message_stop.");
    }

    internal static FinishReason MapFinishReason(string? reason) => reason switch
    {
        "end_turn" or "stop_sequence" or null => FinishReason.Stop,
        "max_tokens" or "model_context_window_exceeded" => FinishReason.Length,
        "tool_use" => FinishReason.ToolCalls,
        "refusal" => FinishReason.ContentFilter,
        _ => FinishReason.Other,
    };

    private ChatCompletion ToCompletion(AnthropicMessageResponse message, ProviderCall call)
    {
        if (message.Content is null)
        {
            throw InvalidResponse(call, "returned a message without content");
        }

        var text = new StringBuilder();
        var toolCalls = new List<ToolCall>();
        foreach (var block in message.Content)
        {
            switch (block.Type)
            {
                case "text":
                    text.Append(block.Text);
                    break;
                case "tool_use":
                    toolCalls.Add(new ToolCall(block.Id ?? string.Empty, block.Name ?? string.Empty, block.Input?.GetRawText() ?? "{}"));
                    break;
            }
        }

        var usage = new TokenUsage(message.Usage?.TotalInput ?? 0, message.Usage?.OutputTokens ?? 0);
        return new ChatCompletion(text.ToString(), message.Model ?? call.Model, usage, MapFinishReason(message.StopReason)) { ToolCalls = toolCalls };
    }
}
