using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers.Resilience;
using Microsoft.Extensions.Logging;

namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>
/// A model on Google's Gemini API, buffered (<c>generateContent</c>) or streamed (<c>streamGenerateContent?alt=sse</c>),
/// with tools, tool turns, response formats and sampling (see <see cref="GeminiRequests"/>). Gemma models reject
/// <c>systemInstruction</c>, JSON mode and function calling with a 400: for them the system text is folded into the
/// user turn, and a request with tools or a response format is refused before it is sent.
/// </summary>
// http: the role's HttpClient, the one under api (auth, Polly, attempt handler). Streams are sent on it directly with
// ResponseHeadersRead, because Refit reads a whole response before returning it.
internal sealed class GeminiChatModel(IGeminiApi api, HttpClient http, ProviderChannel channel, ProviderPolicies policies, ILogger<GeminiChatModel> logger)
    : ProviderChatModel(channel, policies, logger)
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    // The base URL carries the API version (/v1beta), as for Refit's [Post("/models/{model}:generateContent")].
    private readonly string _models = channel.BaseUrl.ToString().TrimEnd('/') + "/models/";

    protected override bool StreamsBody => true;

    protected override async Task<ChatCompletion> SendAsync(ChatRequest request, ProviderCall call, CancellationToken cancellationToken)
    {
        var response = await api.GenerateContentAsync(GeminiRequests.ModelPath(call.Model), Body(request, call), call, cancellationToken);
        var answer = new GeminiAnswer();
        answer.Add(ContentOf(response, call));
        return answer.HasCandidate || answer.IsComplete
            ? answer.ToCompletion(call.Model)
            : throw InvalidResponse(call, "returned no candidates");
    }

    /// <summary>
    /// The answer read chunk by chunk. Gemini sends no terminator: the answer is complete when the body ends after a
    /// chunk with a finish reason (or a blocked prompt). A body that ends without one or inside an event, a stall
    /// longer than an attempt's timeout, a chunk that is not JSON, or an error object in the stream is a failure,
    /// whatever was already yielded.
    /// </summary>
    protected override async IAsyncEnumerable<ChatStreamUpdate> StreamCoreAsync(ChatRequest request, ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var body = Body(request, call);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_models + Uri.EscapeDataString(GeminiRequests.ModelPath(call.Model)) + ":streamGenerateContent?alt=sse"))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, GeminiJsonContext.Default.GenerateContentRequest)) { Headers = { ContentType = JsonMediaType } },
        };
        call.AttachTo(message);
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        EnsureSuccess(response, call);

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new GeminiStreamReader(stream, Channel.AttemptTimeout);
        var answer = new GeminiAnswer();
        while (await reader.ReadEventAsync(cancellationToken) is { } streamed)
        {
            if (streamed.Data is not { } data)
            {
                throw IsErrorObject(streamed.Block) ? StreamError(call, streamed.Block) : InvalidResponse(call, "sent an event without data", streamed.Block);
            }

            var chunk = JsonSerializer.Deserialize(data, GeminiJsonContext.Default.GenerateContentResponse)
                ?? throw InvalidResponse(call, "sent a chunk that is not an object", data);
            if (chunk.Error is { ValueKind: not JsonValueKind.Null })
            {
                throw StreamError(call, data);
            }

            foreach (var piece in answer.Add(chunk))
            {
                yield return piece;
            }
        }

        if (!answer.IsComplete)
        {
            throw new IOException("The answer stream ended without a finish reason.");
        }

        yield return ChatStreamUpdate.Final(answer.ToCompletion(call.Model));
    }

    /// <summary>The request body; a Gemma model is refused what the API would reject it for.</summary>
    private GenerateContentRequest Body(ChatRequest request, ProviderCall call)
    {
        if (GeminiRequests.IsGemma(call.Model) && request.UsesToolsOrFormat)
        {
            throw new ProviderException(
                ProviderFailure.Rejected,
                Channel.Role,
                Channel.Protocol,
                $"The {Channel.Role} model {call.Model} is a Gemma model, which the Gemini API serves without function calling or JSON mode: it cannot take tools, tool results or a response format. The operator must route agents to a Gemini model or an OpenAI-compatible executor.");
        }

        return GeminiRequests.Build(call.Model, request);
    }

    /// <summary>An event that is a google.rpc.Status error object (<c>{"error": {…}}</c>), which the API may write without <c>data:</c>.</summary>
    private static bool IsErrorObject(string block)
    {
        try
        {
            using var document = JsonDocument.Parse(block);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
