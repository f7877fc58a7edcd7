using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AgentApi.Tests.Support;

/// <summary>
/// One of the six ways in to an ask: <c>POST /api/ask</c>, <c>POST /api/ask/stream</c>, and
/// <c>POST /v1/chat/completions</c> and <c>POST /v1/responses</c>, buffered and with <c>"stream": true</c>. Builds the
/// door's body around a question (raw bytes, so a test can send what no serializer would), so one hostile body goes
/// through every door.
/// </summary>
/// <param name="Name">The name tests show, e.g. <c>v1-stream</c>.</param>
/// <param name="Path">The endpoint.</param>
/// <param name="IsOpenAI">Under <c>/v1</c>: errors in OpenAI's envelope, not problem+json.</param>
/// <param name="IsStreamed">Answers with server-sent events.</param>
public sealed record Door(string Name, string Path, bool IsOpenAI, bool IsStreamed)
{
    public const string OpenAIModel = "agentapi";

    public static Door Ask { get; } = new("api-ask", "/api/ask", IsOpenAI: false, IsStreamed: false);

    public static Door AskStream { get; } = new("api-ask-stream", "/api/ask/stream", IsOpenAI: false, IsStreamed: true);

    public static Door ChatCompletions { get; } = new("v1", "/v1/chat/completions", IsOpenAI: true, IsStreamed: false);

    public static Door ChatCompletionsStream { get; } = new("v1-stream", "/v1/chat/completions", IsOpenAI: true, IsStreamed: true);

    public static Door Responses { get; } = new("v1-responses", "/v1/responses", IsOpenAI: true, IsStreamed: false);

    public static Door ResponsesStream { get; } = new("v1-responses-stream", "/v1/responses", IsOpenAI: true, IsStreamed: true);

    public static IReadOnlyList<Door> All { get; } = [Ask, AskStream, ChatCompletions, ChatCompletionsStream, Responses, ResponsesStream];

    public static IReadOnlyList<Door> Streamed { get; } = [AskStream, ChatCompletionsStream, ResponsesStream];

    public static IReadOnlyList<Door> UnderV1 { get; } = [ChatCompletions, ChatCompletionsStream, Responses, ResponsesStream];

    /// <summary>True for the Responses API's door, whose question is <c>input</c>.</summary>
    public bool IsResponses => Path == "/v1/responses";

    /// <summary>The question's field as the door's errors name it.</summary>
    public string QuestionField => IsResponses ? "input" : IsOpenAI ? "messages[0].content" : "query";

    /// <summary>The door's name in the ask's summary line.</summary>
    public string LogName => (IsResponses ? "responses" : IsOpenAI ? "chat-completions" : "ask") + (IsStreamed ? "-stream" : "");

    /// <summary>The line that ends the door's stream when the answer is whole.</summary>
    public string StreamEnd => IsResponses ? "event: response.completed" : IsOpenAI ? "data: [DONE]" : "event: done";

    /// <summary>
    /// The body with <paramref name="questionJson"/> (a JSON value, as bytes) as the question:
    /// <c>{"query":…}</c>, <c>{"model":"agentapi","messages":[{"role":"user","content":…}]}</c> or
    /// <c>{"model":"agentapi","input":…}</c> (with <c>"stream":true</c> on the streamed doors), then
    /// <paramref name="extraMembers"/> (e.g. <c>"user":"x"</c>) as further top-level members.
    /// </summary>
    public byte[] Body(ReadOnlySpan<byte> questionJson, string? extraMembers = null)
    {
        var head = IsResponses ? "{\"model\":\"" + OpenAIModel + "\",\"input\":"
            : IsOpenAI ? "{\"model\":\"" + OpenAIModel + "\",\"messages\":[{\"role\":\"user\",\"content\":"
            : "{\"query\":";
        var tail = (IsOpenAI && !IsResponses ? "}]" : "") + (IsOpenAI && IsStreamed ? ",\"stream\":true" : "") + (extraMembers is null ? "" : "," + extraMembers) + "}";
        return [.. Encoding.UTF8.GetBytes(head), .. questionJson, .. Encoding.UTF8.GetBytes(tail)];
    }

    /// <summary>The body with <paramref name="question"/> as a JSON string.</summary>
    public byte[] Body(string question, string? extraMembers = null) => Body(JsonSerializer.SerializeToUtf8Bytes(question), extraMembers);

    /// <summary>A POST of <paramref name="body"/> as <c>application/json</c>, with an <c>X-Request-ID</c> and a caller key when given.</summary>
    public HttpRequestMessage Request(byte[] body, string? requestId = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Path, UriKind.Relative))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (requestId is not null)
        {
            request.Headers.Add("X-Request-ID", requestId);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    /// <summary>
    /// Whether a line of the door's event stream starts a text delta: <c>event: delta</c> under <c>/api</c>,
    /// <c>event: response.output_text.delta</c> on the Responses API, a chunk whose <c>choices[0].delta.content</c> is
    /// not empty on Chat Completions.
    /// </summary>
    public bool IsDelta(string line)
    {
        if (!IsOpenAI || IsResponses)
        {
            return line == (IsResponses ? "event: response.output_text.delta" : "event: delta");
        }

        if (!line.StartsWith("data: {", StringComparison.Ordinal))
        {
            return false;
        }

        using var chunk = JsonDocument.Parse(line["data: ".Length..]);
        return chunk.RootElement.TryGetProperty("choices", out var choices)
            && choices.ValueKind == JsonValueKind.Array
            && choices.GetArrayLength() > 0
            && choices[0].TryGetProperty("delta", out var delta)
            && delta.TryGetProperty("content", out var text)
            && text.ValueKind == JsonValueKind.String
            && text.GetString()!.Length > 0;
    }

    /// <summary>A unique <c>X-Request-ID</c> (at most 64 characters of <c>[A-Za-z0-9._-]</c>) naming the test and the door.</summary>
    public string NewRequestId(string test)
    {
        var id = $"{test}-{Name}-{Guid.NewGuid():N}";
        return id.Length <= 64 ? id : throw new ArgumentException($"'{test}' is too long for a request ID prefix.", nameof(test));
    }

    public override string ToString() => Name;
}
