using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace AgentApi.Web.Ask;

/// <summary>
/// Writes a <c>text/event-stream</c> response: events with one JSON <c>data</c> line each (named for <c>/api/ask/stream</c>,
/// unnamed for OpenAI's <c>/v1</c>), flushed one by
/// one (response buffering off, <c>X-Accel-Buffering: no</c> for nginx), and a <c>: keep-alive</c> comment every
/// heartbeat interval so idle proxies do not close a slow stream. Writes are serialised: heartbeats never land
/// inside an event.
/// </summary>
internal sealed class ServerSentEventStream(HttpResponse response, JsonSerializerOptions json, TimeProvider timeProvider) : IAsyncDisposable
{
    public const string MediaType = "text/event-stream";

    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The request's ID, which events that name it carry.</summary>
    public string RequestId => response.HttpContext.TraceIdentifier;
    private CancellationTokenSource? _heartbeatStop;
    private Task _heartbeats = Task.CompletedTask;

    /// <summary>Sends the status line and headers now, and starts the heartbeats.</summary>
    public async Task StartAsync(TimeSpan heartbeatInterval, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = MediaType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(cancellationToken);
        await response.Body.FlushAsync(cancellationToken);

        _heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _heartbeats = BeatAsync(heartbeatInterval, _heartbeatStop.Token);
    }

    public Task WriteEventAsync<T>(string name, T data, CancellationToken cancellationToken) =>
        WriteAsync(Encoding.UTF8.GetBytes($"event: {name}\ndata: {JsonSerializer.Serialize(data, json)}\n\n"), cancellationToken);

    /// <summary>An unnamed event, <c>data:</c> only: the form OpenAI's streams (<c>/v1</c>) use.</summary>
    public Task WriteDataAsync<T>(T data, CancellationToken cancellationToken) =>
        WriteRawDataAsync(JsonSerializer.Serialize(data, json), cancellationToken);

    /// <summary>An unnamed event carrying <paramref name="data"/> as it is, e.g. OpenAI's closing <c>[DONE]</c>.</summary>
    public Task WriteRawDataAsync(string data, CancellationToken cancellationToken) =>
        WriteAsync(Encoding.UTF8.GetBytes($"data: {data}\n\n"), cancellationToken);

    /// <summary>
    /// Ends the response without its end: no client takes what it got for a whole answer. Abort discards what the socket
    /// loop has not sent yet, so the events written last get a moment to go out first.
    /// </summary>
    public async Task AbortAsync()
    {
        await Task.Delay(AbortGrace, timeProvider, CancellationToken.None);
        response.HttpContext.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        if (_heartbeatStop is not null)
        {
            await _heartbeatStop.CancelAsync();
            await _heartbeats;
            _heartbeatStop.Dispose();
        }

        _gate.Dispose();
    }

    private async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await response.Body.WriteAsync(bytes, cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task BeatAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await WriteAsync(KeepAlive, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The stream ended or the caller left.
        }
    }
}
