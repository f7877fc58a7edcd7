using System.Globalization;
using System.Text;
using AgentApi.Bench.Fakes;

// Both providers' fakes in one Kestrel process, built for speed: fixed answers in their real wire
// format, written from pre-encoded bytes, no routing, no logging. Not a conformance fake (that is
// AgentApi.Tests/Fakes): it checks only that a key was sent, so a misconfigured run shows as errors.
//   POST /v1beta/models/{model}:generateContent   Gemini; the answer is a plan the orchestrator parser reads
//   POST /v1/chat/completions                     OpenAI Chat Completions
//   GET  /_bench/counters                         {"gemini":n,"openai":n,"rejected":n,"delayMs":n}
//   POST /_bench/delay?ms=50                      every provider answer waits that long (0 = at once)
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

var counters = new Counters();
var delayMs = int.TryParse(app.Configuration["FAKE_DELAY_MS"], CultureInfo.InvariantCulture, out var initialDelay) ? initialDelay : 0;
var gemini = new Answer(Counter.Gemini, "application/json; charset=UTF-8", """
    {"candidates":[{"content":{"parts":[{"text":"{\"route\": \"general\", \"prompt\": \"Answer the user's question accurately and concisely.\"}"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":212,"candidatesTokenCount":31,"totalTokenCount":243,"promptTokensDetails":[{"modality":"TEXT","tokenCount":212}]},"modelVersion":"gemma-3-1b-it","responseId":"mXbNaPXhF6q6nvgP2rG0qAk"}
    """);
var openAI = new Answer(Counter.OpenAI, "application/json", """
    {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Paris is the capital of France.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":64,"completion_tokens":19,"total_tokens":83,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_bench"}
    """);
// The same answer as OpenAI streams it (stream: true with include_usage), which the executor asks for on every ask.
var openAIStream = new Answer(Counter.OpenAI, "text/event-stream; charset=utf-8", string.Concat(
    """data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}""", "\n\n",
    """data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":{"content":"Paris is the capital"},"logprobs":null,"finish_reason":null}],"usage":null}""", "\n\n",
    """data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":{"content":" of France."},"logprobs":null,"finish_reason":null}],"usage":null}""", "\n\n",
    """data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}""", "\n\n",
    """data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_bench","choices":[],"usage":{"prompt_tokens":64,"completion_tokens":19,"total_tokens":83}}""", "\n\n",
    "data: [DONE]\n\n"));
var unauthorized = new Answer(Counter.Rejected, "application/json", """
    {"error":{"message":"Missing API key.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}
    """, status: 401);

app.Run(async context =>
{
    var request = context.Request;
    var path = request.Path.Value ?? string.Empty;
    var post = HttpMethods.IsPost(request.Method);
    if (post && path.StartsWith("/v1beta/models/", StringComparison.Ordinal) && path.EndsWith(":generateContent", StringComparison.Ordinal))
    {
        await AnswerAsync(context, request.Headers.ContainsKey("x-goog-api-key") ? gemini : unauthorized);
    }
    else if (post && path == "/v1/chat/completions")
    {
        var bearer = request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal);
        await AnswerAsync(context, bearer ? openAI : unauthorized, streamed: bearer ? openAIStream : null);
    }
    else if (path == "/_bench/counters")
    {
        var json = string.Create(CultureInfo.InvariantCulture,
            $$"""{"gemini":{{counters.Read(Counter.Gemini)}},"openai":{{counters.Read(Counter.OpenAI)}},"rejected":{{counters.Read(Counter.Rejected)}},"delayMs":{{Volatile.Read(ref delayMs)}}}""");
        await new Answer(Counter.None, "application/json", json).WriteAsync(context.Response);
    }
    else if (post && path == "/_bench/delay" && int.TryParse(request.Query["ms"], CultureInfo.InvariantCulture, out var ms) && ms >= 0)
    {
        Volatile.Write(ref delayMs, ms);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
    else
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }
});

app.Run();

// streamed: the answer to a request whose body asks for a stream ("stream":true), when the provider streams.
async Task AnswerAsync(HttpContext context, Answer answer, Answer? streamed = null)
{
    var asksForStream = await DrainAsync(context.Request);
    answer = asksForStream && streamed is not null ? streamed : answer;
    counters.Increment(answer.Counter);
    var delay = Volatile.Read(ref delayMs);
    if (delay > 0)
    {
        await Task.Delay(delay, context.RequestAborted);
    }

    await answer.WriteAsync(context.Response);
}

// Reads the body to its end; true when it holds "stream":true (AgentApi writes compact JSON).
static async Task<bool> DrainAsync(HttpRequest request)
{
    var reader = request.BodyReader;
    while (true)
    {
        var read = await reader.ReadAsync();
        if (read.IsCompleted)
        {
            var found = System.Buffers.BuffersExtensions.ToArray(read.Buffer).AsSpan().IndexOf("\"stream\":true"u8) >= 0;
            reader.AdvanceTo(read.Buffer.End);
            return found;
        }

        reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
    }
}
