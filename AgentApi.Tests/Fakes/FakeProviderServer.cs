using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using AgentApi.Tests.Support.Otlp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentApi.Tests.Fakes;

/// <summary>
/// A provider API double served by Kestrel on real loopback HTTP (<c>127.0.0.1</c>, a free port).
/// </summary>
/// <remarks>
/// <para>
/// Every request is recorded in <see cref="Requests"/>. A request to the model endpoint also increments
/// <see cref="CallCount"/> (rejected ones too) and takes the next scripted response from the queue filled by
/// <see cref="Enqueue"/>; other paths get the provider's "not found" answer and consume nothing.
/// </para>
/// <para>
/// A scripted response replaces the normal behaviour entirely: no auth, body or model check runs, so a test can
/// answer a 429 or an HTML page to any request. Only <see cref="FakeResponse.Default"/> (also as the target of
/// <see cref="FakeResponse.Delayed"/>) runs the normal path, which is also what an empty queue does: validate the
/// request the way the real API does, reject it with the real error body, or answer successfully with
/// <see cref="Reply"/>.
/// </para>
/// </remarks>
public abstract class FakeProviderServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions JsonWriteOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Lock _gate = new();
    private readonly Queue<FakeResponse> _script = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _basePath;
    private WebApplication? _app;
    private Uri? _baseUrl;
    private int _callCount;
    private int _abortedCount;
    private int _completedStreams;
    private Func<string, string> _reply = DefaultReply;
    private int _disposed;

    /// <param name="basePath">The API version prefix that <see cref="BaseUrl"/> ends with, e.g. <c>/v1</c>.</param>
    protected FakeProviderServer(string basePath)
    {
        _basePath = basePath;
    }

    /// <summary>
    /// The API base, e.g. <c>http://127.0.0.1:PORT/v1beta</c>, without a trailing slash.
    /// </summary>
    public Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException("The server has not been started.");

    /// <summary>Requests to the model endpoint so far, including rejected and scripted ones.</summary>
    public int CallCount
    {
        get
        {
            lock (_gate)
            {
                return _callCount;
            }
        }
    }

    /// <summary>Event streams written to the end (their terminator, or the last event when there is none).</summary>
    public int CompletedStreams => Volatile.Read(ref _completedStreams);

    /// <summary>Requests whose client gave up (disconnected or cancelled) before the answer was complete.</summary>
    public int AbortedCount => Volatile.Read(ref _abortedCount);

    /// <summary>A snapshot of every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>
    /// Answer text of a normal successful response, given the text of the last user message.
    /// Defaults to <c>"echo: " + text</c>.
    /// </summary>
    public Func<string, string> Reply
    {
        get => Volatile.Read(ref _reply);
        set => Volatile.Write(ref _reply, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Queues responses for the next calls to the model endpoint, first in, first out.</summary>
    public void Enqueue(params FakeResponse[] responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        lock (_gate)
        {
            foreach (var response in responses)
            {
                _script.Enqueue(response ?? throw new ArgumentException("A scripted response is null.", nameof(responses)));
            }
        }
    }

    /// <summary>Clears the queue, <see cref="CallCount"/> and <see cref="Requests"/>, and restores the default <see cref="Reply"/>.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _script.Clear();
            _requests.Clear();
            _callCount = 0;
            Interlocked.Exchange(ref _abortedCount, 0);
            Interlocked.Exchange(ref _completedStreams, 0);
        }

        Reply = DefaultReply;
    }

    /// <summary>Stops the server; pending <see cref="FakeResponse.Hang"/> requests are aborted, so this returns quickly.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Kestrel gave up waiting for connections; disposing below closes them anyway.
            }

            await _app.DisposeAsync();
        }

        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts <paramref name="server"/>, disposing it if start-up fails.</summary>
    protected static async Task<TServer> StartServerAsync<TServer>(TServer server)
        where TServer : FakeProviderServer
    {
        ArgumentNullException.ThrowIfNull(server);
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether the request targets the model endpoint (counted, scripted, validated).</summary>
    protected abstract bool IsModelEndpoint(RecordedRequest request);

    /// <summary>The normal behaviour: the real API's rejection of the request, or a successful answer.</summary>
    protected abstract FakeResponse Respond(RecordedRequest request);

    /// <summary>Whether the request asks for its answer as a stream: <c>"stream": true</c> in its body, unless the protocol says otherwise.</summary>
    protected virtual bool AsksForStream(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var body = JsonDocument.Parse(request.Body);
            return body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The normal behaviour with a streamed answer sent as <paramref name="stream"/> says; by default the plain <see cref="Respond"/>.</summary>
    protected virtual FakeResponse RespondStreamed(RecordedRequest request, FakeStreaming stream) => Respond(request);

    /// <summary>An in-band error event, as compatible servers send when they fail mid-stream (OpenAI's envelope).</summary>
    protected virtual string InBandError => "{\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";

    /// <summary>An event with <paramref name="data"/> as the provider writes it: <c>data: …</c> and a blank line (LF).</summary>
    protected virtual string EventText(string data) => $"data: {data}\n\n";

    /// <summary>The in-band error event as the provider writes it.</summary>
    protected virtual string InBandErrorEvent => EventText(InBandError);

    /// <summary>Whether <paramref name="data"/> is the stream's last event, which <see cref="FakeStreaming.OmitDone"/> leaves out: OpenAI's <c>[DONE]</c>.</summary>
    protected virtual bool IsLastEvent(string data) => data == "[DONE]";

    /// <summary>What the provider answers for a path or method it does not serve.</summary>
    protected abstract FakeResponse RespondToUnknownEndpoint(RecordedRequest request);

    /// <summary>Serializes a JSON tree without escaping non-ASCII text, so bodies stay readable in test output.</summary>
    protected static string ToJson(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ToJsonString(JsonWriteOptions);
    }

    /// <summary>The token estimate used for usage figures: whitespace-separated words.</summary>
    protected static int CountWords(string text) =>
        string.IsNullOrEmpty(text) ? 0 : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>
    /// Cuts <paramref name="text"/> to its first <paramref name="maxWords"/> words, as a token limit would.
    /// Returns false (and the text unchanged) when it already fits or no limit is set.
    /// </summary>
    protected static bool TryTruncateToWords(string text, int? maxWords, out string truncated)
    {
        truncated = text;
        if (maxWords is not > 0 || CountWords(text) <= maxWords)
        {
            return false;
        }

        truncated = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(maxWords.Value));
        return true;
    }

    /// <summary>The request body as a JSON object, or null when it is not valid JSON or not an object.</summary>
    protected static JsonObject? TryParseObject(string body)
    {
        try
        {
            var node = JsonNode.Parse(body) as JsonObject;
            _ = node?.Count; // materialises the properties, so duplicate names fail here rather than later
            return node;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A value that matches <paramref name="schema"/> (types, properties, items, enums), with <paramref name="text"/> for its strings.</summary>
    protected static JsonNode Sample(JsonNode? schema, string text)
    {
        if (schema is not JsonObject node)
        {
            return new JsonObject();
        }

        if (node["enum"] is JsonArray { Count: > 0 } values)
        {
            return values[0]!.DeepClone();
        }

        // JSON Schema's types, or the OpenAPI subset's upper-case ones (Gemini's responseSchema).
        var type = (node["type"] is JsonArray types ? types.Select(AsString).First(t => t != "null") : AsString(node["type"]))?.ToLowerInvariant();
        return type switch
        {
            "string" => JsonValue.Create(text),
            "integer" => JsonValue.Create(1),
            "number" => JsonValue.Create(1.5),
            "boolean" => JsonValue.Create(true),
            "array" => new JsonArray(Sample(node["items"], text)),
            _ => new JsonObject((node["properties"] as JsonObject ?? []).Select(property => KeyValuePair.Create(property.Key, (JsonNode?)Sample(property.Value, text)))),
        };
    }

    /// <summary>The value of a JSON string node; null for anything else, including JSON null.</summary>
    protected static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    protected static string RandomString(int length, string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") =>
        RandomNumberGenerator.GetString(alphabet, length);

    private static string DefaultReply(string text) => "echo: " + text;

    private async Task StartAsync()
    {
        // The empty builder reads no appsettings.json (the test output folder may hold the gateway's, with Kestrel
        // endpoints and log levels) and no ASPNETCORE_* variables (URLS, HTTP_PORTS): the fake binds only the
        // loopback listener below, whatever the machine or the test host sets.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));

        // A real provider's spans never reach AgentApi's collector: a traced AgentApi in this process must not record the fake's.
        builder.Services.AddUntracedHosting();

        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync(_stopping.Token);

        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var port = new Uri(address).Port;
        _baseUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{_basePath}"));
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            var request = await RecordAsync(context.Request, aborted.Token);
            FakeResponse response;
            if (IsModelEndpoint(request))
            {
                lock (_gate)
                {
                    _requests.Add(request);
                    _callCount++;
                    response = _script.Count > 0 ? _script.Dequeue() : FakeResponse.Default;
                }
            }
            else
            {
                lock (_gate)
                {
                    _requests.Add(request);
                }

                response = RespondToUnknownEndpoint(request);
            }

            await PlayAsync(context, request, response, aborted.Token);
        }
        catch (Exception) when (aborted.IsCancellationRequested)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                Interlocked.Increment(ref _abortedCount);
            }

            // The client gave up or the server is stopping: drop the connection instead of half-answering.
            context.Abort();
        }
    }

    private async Task PlayAsync(HttpContext context, RecordedRequest request, FakeResponse response, CancellationToken cancellationToken)
    {
        switch (response.Kind)
        {
            case FakeResponseKind.Default:
                await PlayAsync(context, request, Respond(request), cancellationToken);
                break;
            case FakeResponseKind.Content:
                await WriteAsync(context.Response, response, cancellationToken);
                break;
            case FakeResponseKind.Hang:
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                break;
            case FakeResponseKind.Stall:
                var start = Encoding.UTF8.GetBytes(response.Body);
                context.Response.StatusCode = response.StatusCode;
                context.Response.ContentType = response.ContentType;
                context.Response.ContentLength = start.Length * 2L;
                await context.Response.Body.WriteAsync(start, cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                break;
            case FakeResponseKind.Reset:
                context.Abort();
                break;
            case FakeResponseKind.Streamed:
                await PlayAsync(context, request, RespondStreamed(request, response.Stream!), cancellationToken);
                break;
            case FakeResponseKind.EventStream:
                await WriteEventStreamAsync(context, response, cancellationToken);
                break;
            case FakeResponseKind.Delayed:
                await Task.Delay(response.Delay, cancellationToken);
                await PlayAsync(context, request, response.Then!, cancellationToken);
                break;
            case FakeResponseKind.Generating when AsksForStream(request):
                await PlayAsync(context, request, RespondStreamed(request, response.Stream!), cancellationToken);
                break;
            case FakeResponseKind.Generating:
                await Task.Delay(response.Delay, cancellationToken);
                await PlayAsync(context, request, Respond(request), cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"Unknown fake response kind {response.Kind}.");
        }
    }

    private static async Task WriteAsync(HttpResponse httpResponse, FakeResponse response, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(response.Body);
        httpResponse.StatusCode = response.StatusCode;
        httpResponse.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers)
        {
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                httpResponse.ContentType = value;
            }
            else
            {
                httpResponse.Headers.Append(name, value);
            }
        }

        httpResponse.ContentLength = body.Length;
        await httpResponse.Body.WriteAsync(body, cancellationToken);
    }

    private async Task WriteEventStreamAsync(HttpContext context, FakeResponse response, CancellationToken cancellationToken)
    {
        var httpResponse = context.Response;
        var stream = response.Stream ?? FakeStreaming.Normal;
        httpResponse.StatusCode = response.StatusCode;
        httpResponse.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers)
        {
            httpResponse.Headers.Append(name, value);
        }

        await httpResponse.StartAsync(cancellationToken);
        for (var sent = 0; sent < response.Events.Count; sent++)
        {
            var data = response.Events[sent];
            if (sent > 0 && stream.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(stream.ChunkDelay, cancellationToken);
            }

            if (stream.PauseBefore == sent && stream.Pause > TimeSpan.Zero)
            {
                await Task.Delay(stream.Pause, cancellationToken);
            }

            if (stream.CutAfter == sent)
            {
                context.Abort();
                return;
            }

            if (stream.StallAfter == sent)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            if (stream.ErrorAfter == sent)
            {
                await WriteEventAsync(httpResponse, InBandErrorEvent, cancellationToken);
                break;
            }

            if (stream.MalformedAfter == sent)
            {
                await WriteEventAsync(httpResponse, EventText(data[..(data.Length / 2)]), cancellationToken);
            }

            if (stream.OmitDone && IsLastEvent(data))
            {
                break;
            }

            await WriteEventAsync(httpResponse, EventText(data), cancellationToken);
        }

        await httpResponse.CompleteAsync();
        Interlocked.Increment(ref _completedStreams);
    }

    /// <summary>One event as written, flushed at once so the client sees it while the fake still writes.</summary>
    private static async Task WriteEventAsync(HttpResponse response, string written, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(written), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task<RecordedRequest> RecordAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key.ToLowerInvariant()] = string.Join(", ", header.Value.ToArray());
        }

        return new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", headers, body);
    }
}
