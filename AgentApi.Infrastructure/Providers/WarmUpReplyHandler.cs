using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// Below every other provider handler: inside a warm-up ask (<see cref="WarmUpScope"/>) it answers the call
/// itself with a canned reply in the provider's wire format (a plan from the orchestrator, a short answer
/// from the executor; as JSON or as an event stream), so the warm-up runs Refit, Polly, the attempt handler and the
/// JSON readers without calling out or spending tokens. Every other call passes through untouched.
/// </summary>
internal sealed class WarmUpReplyHandler(ProviderChannel roleChannel) : DelegatingHandler
{
    private const string Plan = """{"prompt":"Name the capital of France in one word."}""";
    private const string Answer = "Paris.";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!WarmUpScope.IsActive)
        {
            return base.SendAsync(request, cancellationToken);
        }

        var call = ProviderCall.From(request);
        var channel = call?.Channel ?? roleChannel;
        var text = channel.Role == ModelRole.Orchestrator ? Plan : Answer;
        var model = JsonSerializer.Serialize(call?.Model ?? channel.Model);
        var streams = call?.StreamsBody == true;
        var body = channel.Protocol switch
        {
            ProviderProtocol.Gemini => GeminiReply(text, model, streams),
            ProviderProtocol.Anthropic => AnthropicReply(text, model, streams),
            _ => OpenAIReply(text, model, streams),
        };
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(streams ? "text/event-stream" : "application/json") { CharSet = "utf-8" };
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }

    /// <summary>One GenerateContentResponse; streamed, the same as the stream's one event (Gemini sends no terminator).</summary>
    private static string GeminiReply(string text, string model, bool streams)
    {
        var response = $$"""{"candidates":[{"content":{"role":"model","parts":[{"text":{{JsonSerializer.Serialize(text)}}}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":0,"candidatesTokenCount":0,"totalTokenCount":0},"modelVersion":{{model}}}""";
        return streams ? $"data: {response}\r\n\r\n" : response;
    }

    private static string OpenAIReply(string text, string model, bool streams)
    {
        const string usage = """{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}""";
        var content = JsonSerializer.Serialize(text);
        if (!streams)
        {
            return $$"""{"id":"chatcmpl-warm-up","object":"chat.completion","created":0,"model":{{model}},"choices":[{"index":0,"message":{"role":"assistant","content":{{content}}},"finish_reason":"stop"}],"usage":{{usage}}}""";
        }

        var chunk = $$"""{"id":"chatcmpl-warm-up","object":"chat.completion.chunk","created":0,"model":{{model}},"choices":[{"index":0,"delta":{"role":"assistant","content":{{content}}},"finish_reason":"stop"}]}""";
        var last = $$"""{"id":"chatcmpl-warm-up","object":"chat.completion.chunk","created":0,"model":{{model}},"choices":[],"usage":{{usage}}}""";
        return $"data: {chunk}\n\ndata: {last}\n\ndata: [DONE]\n\n";
    }

    private static string AnthropicReply(string text, string model, bool streams)
    {
        const string usage = """{"input_tokens":0,"output_tokens":0}""";
        var content = JsonSerializer.Serialize(text);
        if (!streams)
        {
            return $$"""{"id":"msg_warm_up","type":"message","role":"assistant","model":{{model}},"content":[{"type":"text","text":{{content}}}],"stop_reason":"end_turn","stop_sequence":null,"usage":{{usage}}}""";
        }

        static string Frame(string type, string data) => $"event: {type}\ndata: {data}\n\n";
        return Frame("message_start", $$$"""{"type":"message_start","message":{"id":"msg_warm_up","type":"message","role":"assistant","model":{{{model}}},"content":[],"stop_reason":null,"stop_sequence":null,"usage":{{{usage}}}}}""")
            + Frame("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""")
            + Frame("content_block_delta", $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{content}}}}}""")
            + Frame("content_block_stop", """{"type":"content_block_stop","index":0}""")
            + Frame("message_delta", $$"""{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{{usage}}}""")
            + Frame("message_stop", """{"type":"message_stop"}""");
    }
}
