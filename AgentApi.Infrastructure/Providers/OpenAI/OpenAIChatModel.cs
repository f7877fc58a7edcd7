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
            // A compatible server that ignores stream: true answers with one whole completion.
            var whole = await response.Content.ReadFromJsonAsync(OpenAIJsonContext.Default.ChatCompletionResponse, cancellationToken)
                ?? throw InvalidResponse(call, "returned an empty response");
            var completion = ToCompletion(whole, call);
            yield return ChatStreamUpdate.Delta(completion.Text);
            yield return ChatStreamUpdate.Final(completion);
            yield break;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new OpenAISseReader(stream, Channel.AttemptTimeout);
        var text = new StringBuilder();
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

                yield return ChatStreamUpdate.Final(new ChatCompletion(text.ToString(), model ?? call.Model, usage ?? TokenUsage.None, finish ?? FinishReason.Stop));
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

            if (!string.IsNullOrEmpty(first.Delta?.Refusal))
            {
                finish = FinishReason.ContentFilter;
            }
            else if (first.FinishReason is { } reason && finish != FinishReason.ContentFilter)
            {
                finish = MapFinishReason(reason);
            }

            if (first.Delta?.Content is { Length: > 0 } piece)
            {
                text.Append(piece);
                yield return ChatStreamUpdate.Delta(piece);
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
            messages.Add(new ChatMessage(turn.Role == ChatRole.User ? "user" : "assistant", turn.Text));
        }

        messages.Add(new ChatMessage("user", request.UserMessage));

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
            User: request.EndUser);
    }

    internal static FinishReason MapFinishReason(string? reason) => reason switch
    {
        "stop" or null => FinishReason.Stop,
        "length" => FinishReason.Length,
        "content_filter" => FinishReason.ContentFilter,
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
        var finish = choice.Message?.Refusal is not null ? FinishReason.ContentFilter : MapFinishReason(choice.FinishReason);
        return new ChatCompletion(choice.Message?.Content ?? string.Empty, content.Model ?? call.Model, usage, finish);
    }
}
