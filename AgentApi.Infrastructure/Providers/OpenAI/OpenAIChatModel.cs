using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers.Resilience;
using Microsoft.Extensions.Logging;

namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>A model behind OpenAI Chat Completions or a compatible server (Ollama, vLLM, Google's compatible endpoint).</summary>
// http: the role's HttpClient, the one under api (auth, Polly, attempt handler). Streams are sent on it directly with
// ResponseHeadersRead, because Refit reads a whole response before returning it, even an HttpResponseMessage.
internal sealed class OpenAIChatModel(IOpenAIApi api, HttpClient http, ProviderChannel channel, ProviderPolicies policies, ILogger<OpenAIChatModel> logger)
    : ProviderChatModel(channel, policies, logger)
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    // The path Refit's [Post("/chat/completions")] appends to the base URL, which carries the API version (/v1).
    private readonly Uri _chatCompletions = new(channel.BaseUrl.ToString().TrimEnd('/') + "/chat/completions");

    private const string Done = "[DONE]";
    private static readonly ChatStreamOptions IncludeUsage = new(IncludeUsage: true);

    protected override bool StreamsBody => true;

    protected override async Task<ChatCompletion> SendAsync(ChatRequest request, ProviderCall call, CancellationToken cancellationToken)
    {
        var response = await api.CreateChatCompletionAsync(BuildRequest(Channel, request), call, cancellationToken);
        return ToCompletion(ContentOf(response, call), call);
    }

    /// <summary>
    /// <c>stream: true</c> with <c>stream_options.include_usage</c>, read chunk by chunk. Complete only at <c>data: [DONE]</c>;
    /// the end of the body before it, a stall longer than an attempt's timeout, a chunk that is not JSON, or an
    /// <c>error</c> object in the stream is a failure, whatever was already yielded.
    /// </summary>
    protected override async IAsyncEnumerable<ChatStreamUpdate> StreamCoreAsync(ChatRequest request, ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var body = BuildRequest(Channel, request) with { Stream = true, StreamOptions = IncludeUsage };
        using var message = new HttpRequestMessage(HttpMethod.Post, _chatCompletions)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, OpenAIJsonContext.Default.ChatCompletionRequest)) { Headers = { ContentType = JsonMediaType } },
        };
        call.AttachTo(message);
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        EnsureSuccess(response, call);
        if (response.Content.Headers.ContentType?.MediaType is "application/json")
        {
            // A compatible server that ignores stream: true answers with one whole completion, read within one attempt's time.
            ChatCompletionResponse whole;
            using (var read = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                read.CancelAfter(Channel.AttemptTimeout);
                try
                {
                    whole = await response.Content.ReadFromJsonAsync(OpenAIJsonContext.Default.ChatCompletionResponse, read.Token)
                        ?? throw InvalidResponse(call, "returned an empty response");
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"The answer did not arrive within {Channel.AttemptTimeout.TotalSeconds:0.#} s of its first byte.");
                }
            }

            var completion = ToCompletion(whole, call);
            yield return ChatStreamUpdate.Delta(completion.Text);
            for (var index = 0; index < completion.ToolCalls.Count; index++)
            {
                var toolCall = completion.ToolCalls[index];
                yield return ChatStreamUpdate.ToolCallPiece(new ToolCallDelta(index, toolCall.Id, toolCall.Name, toolCall.Arguments));
            }

            if (completion.Refusal is { Length: > 0 } refused)
            {
                yield return ChatStreamUpdate.RefusalPiece(refused);
            }

            yield return ChatStreamUpdate.Final(completion);
            yield break;
        }

        if (response.Content.Headers.ContentType?.MediaType is { } mediaType && mediaType != "text/event-stream")
        {
            // A proxy's error page, or anything else that is no answer.
            throw InvalidResponse(call, $"returned {mediaType} instead of an event stream");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new SseReader(stream, Channel.AttemptTimeout);
        var text = new StringBuilder();
        var calls = new StreamedToolCalls();
        StringBuilder? refusal = null;
        string? model = null;
        TokenUsage? usage = null;
        FinishReason? finish = null;
        while (await reader.ReadDataAsync(cancellationToken) is { } data)
        {
            if (data == Done)
            {
                if (usage is null)
                {
                    Log.StreamWithoutUsage(Logger, Channel.Role, Channel.Protocol, model ?? call.Model);
                }

                yield return ChatStreamUpdate.Final(new ChatCompletion(text.ToString(), model ?? call.Model, usage ?? TokenUsage.None, finish ?? FinishReason.Stop)
                {
                    ToolCalls = calls.ToList(),
                    Refusal = refusal?.ToString(),
                });
                yield break;
            }

            var chunk = JsonSerializer.Deserialize(data, OpenAIJsonContext.Default.ChatCompletionChunk)
                ?? throw InvalidResponse(call, "sent a chunk that is not an object", data);
            if (chunk.Error is { ValueKind: not JsonValueKind.Null })
            {
                throw StreamError(call, data);
            }

            model ??= chunk.Model;
            if (chunk.Usage is { } u)
            {
                usage = new TokenUsage(u.PromptTokens, u.CompletionTokens);
            }

            if (chunk.Choices?.FirstOrDefault(choice => choice.Index == 0) is not { } first)
            {
                continue;
            }

            if (first.FinishReason is { } reason)
            {
                finish = MapFinishReason(reason);
            }

            if (first.Delta?.Content is { Length: > 0 } piece)
            {
                text.Append(piece);
                yield return ChatStreamUpdate.Delta(piece);
            }

            if (first.Delta?.Refusal is { Length: > 0 } refused)
            {
                (refusal ??= new StringBuilder()).Append(refused);
                yield return ChatStreamUpdate.RefusalPiece(refused);
            }

            foreach (var toolCall in first.Delta?.ToolCalls ?? [])
            {
                yield return ChatStreamUpdate.ToolCallPiece(calls.Add(toolCall));
            }
        }

        throw new IOException("The answer stream ended without data: [DONE].");
    }

    internal static ChatCompletionRequest BuildRequest(ProviderChannel channel, ChatRequest request)
    {
        var messages = new List<ChatMessage>((request.History?.Count ?? 0) + 2);
        if (!string.IsNullOrEmpty(request.SystemInstruction))
        {
            messages.Add(new ChatMessage("system", request.SystemInstruction));
        }

        foreach (var turn in request.History ?? [])
        {
            messages.Add(MessageOf(turn));
        }

        messages.Add(new ChatMessage("user", request.UserMessage));
        foreach (var turn in request.ToolTurns)
        {
            messages.Add(MessageOf(turn));
        }

        // OpenAI deprecated max_tokens for max_completion_tokens; Ollama reads only max_tokens.
        var isOpenAI = channel.BaseUrl.Host.Equals("api.openai.com", StringComparison.OrdinalIgnoreCase);
        return new ChatCompletionRequest(
            request.Model ?? channel.Model,
            messages,
            MaxCompletionTokens: isOpenAI ? request.MaxOutputTokens : null,
            MaxTokens: isOpenAI ? null : request.MaxOutputTokens,
            Temperature: request.Temperature,
            TopP: request.Sampling.TopP,
            Stop: request.Sampling.Stop is { Count: > 0 } stop ? stop : null,
            Seed: request.Sampling.Seed,
            PresencePenalty: request.Sampling.PresencePenalty,
            FrequencyPenalty: request.Sampling.FrequencyPenalty,
            User: request.EndUser,
            Tools: request.Tools is { } tools ? [.. tools.Tools.Select(ToolOf)] : null,
            ToolChoice: request.Tools?.Choice is { } choice ? ToolChoiceOf(choice) : null,
            ParallelToolCalls: request.Tools?.ParallelToolCalls,
            ResponseFormat: request.ResponseFormat is { } format ? FormatOf(format) : null);
    }

    /// <summary>A turn as OpenAI's message, a tool exchange verbatim: the assistant's calls with their ids, a tool's result with the id it answers.</summary>
    private static ChatMessage MessageOf(ChatTurn turn) => turn switch
    {
        { Role: ChatRole.User } => new ChatMessage("user", turn.Text),
        { Role: ChatRole.Tool } => new ChatMessage("tool", turn.Text, ToolCallId: turn.ToolCallId),
        { ToolCalls: { Count: > 0 } calls } => new ChatMessage(
            "assistant",
            turn.Text.Length == 0 ? null : turn.Text,
            [.. calls.Select(call => new ChatToolCall(call.Id, "function", new ChatFunctionCall(call.Name, call.Arguments)))]),
        _ => new ChatMessage("assistant", turn.Text),
    };

    private static ChatTool ToolOf(ToolDefinition tool) =>
        new("function", new ChatFunction(tool.Name, tool.Description, tool.Parameters is null ? null : ParseJson(tool.Parameters), tool.Strict));

    private static JsonElement ToolChoiceOf(ToolChoice choice) => choice.Mode switch
    {
        ToolChoiceMode.None => ParseJson("\"none\""),
        ToolChoiceMode.Auto => ParseJson("\"auto\""),
        ToolChoiceMode.Required => ParseJson("\"required\""),
        _ => JsonSerializer.SerializeToElement(new ChatNamedToolChoice("function", new ChatFunctionCall(choice.Name, null)), OpenAIJsonContext.Default.ChatNamedToolChoice),
    };

    private static ChatResponseFormat FormatOf(ResponseFormat format) => format.Kind switch
    {
        ResponseFormatKind.JsonObject => new("json_object"),
        ResponseFormatKind.JsonSchema => new("json_schema", new ChatJsonSchema(format.Name ?? "answer", format.Description, format.Schema is null ? null : ParseJson(format.Schema), format.Strict)),
        _ => new("text"),
    };

    /// <summary>The caller's JSON text (checked at the door), to be written into the request as it is.</summary>
    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    internal static FinishReason MapFinishReason(string? reason) => reason switch
    {
        "stop" or null => FinishReason.Stop,
        "length" => FinishReason.Length,
        "content_filter" => FinishReason.ContentFilter,
        "tool_calls" or "function_call" => FinishReason.ToolCalls,
        _ => FinishReason.Other,
    };

    private ChatCompletion ToCompletion(ChatCompletionResponse content, ProviderCall call)
    {
        if (content.Choices is not { Count: > 0 } choices)
        {
            throw InvalidResponse(call, "returned no choices");
        }

        var choice = choices[0];
        var usage = content.Usage is { } u ? new TokenUsage(u.PromptTokens, u.CompletionTokens) : TokenUsage.None;
        return new ChatCompletion(choice.Message?.Content ?? string.Empty, content.Model ?? call.Model, usage, MapFinishReason(choice.FinishReason))
        {
            ToolCalls = [.. (choice.Message?.ToolCalls ?? []).Select(toolCall => new ToolCall(toolCall.Id ?? string.Empty, toolCall.Function?.Name ?? string.Empty, toolCall.Function?.Arguments ?? string.Empty))],
            Refusal = choice.Message?.Refusal,
        };
    }

    /// <summary>The tool calls of a stream, joined from their pieces by index.</summary>
    private sealed class StreamedToolCalls
    {
        private readonly SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)> _calls = [];

        /// <summary>Adds a piece; returns it as the stream relays it.</summary>
        public ToolCallDelta Add(ChatToolCallChunk chunk)
        {
            var arguments = chunk.Function?.Arguments ?? string.Empty;
            if (_calls.TryGetValue(chunk.Index, out var call))
            {
                call.Arguments.Append(arguments);
                _calls[chunk.Index] = (call.Id ?? chunk.Id, call.Name ?? chunk.Function?.Name, call.Arguments);
            }
            else
            {
                _calls[chunk.Index] = (chunk.Id, chunk.Function?.Name, new StringBuilder(arguments));
            }

            return new ToolCallDelta(chunk.Index, chunk.Id, chunk.Function?.Name, arguments);
        }

        public List<ToolCall> ToList() =>
            [.. _calls.Values.Select(call => new ToolCall(call.Id ?? string.Empty, call.Name ?? string.Empty, call.Arguments.ToString()))];
    }
}
